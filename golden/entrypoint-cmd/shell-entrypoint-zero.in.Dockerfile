FROM debian:12
# $0 and "$@" together: the whole CMD arrives
ENTRYPOINT exec "$0" "$@"
CMD ["python", "app.py"]

FROM debian:12
ENTRYPOINT exec env APP_ENV=prod "$0" "$@"
CMD ["python", "app.py"]
