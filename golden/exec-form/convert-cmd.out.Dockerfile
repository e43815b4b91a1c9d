FROM alpine:3.20
CMD ["python", "app.py"]
FROM debian:bookworm-slim AS second
  CMD ["python", "-m", "http.server", "8000"]
FROM scratch
CMD ["/already", "exec"]
CMD ["/app", "--port=8080", "--name=x:y", "a~b"]
