FROM debian:bookworm-slim AS devcontainer
CMD ["sleep", "infinity"]

FROM alpine:3.20 AS keepalive
CMD ["tail", "-f", "/dev/null"]
