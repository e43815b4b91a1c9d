FROM debian:bookworm-slim
WORKDIR /app
COPY scripts ./scripts
CMD ./scripts/run.sh
ENTRYPOINT scripts/other.sh
