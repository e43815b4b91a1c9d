FROM debian:12
# a sourced file may define start as a function, or set a trap
CMD . /app/lib.sh && start --port 80

FROM debian:12
CMD eval "$SETUP" && run-server

FROM debian:12
CMD serve() { python -m http.server; } && serve

FROM debian:12
CMD trap "echo bye" EXIT; python app.py

FROM debian:12
CMD ["/bin/sh", "-c", "cd /app && exec python app.py"]
