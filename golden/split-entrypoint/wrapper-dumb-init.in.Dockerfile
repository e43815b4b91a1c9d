FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends dumb-init && rm -rf /var/lib/apt/lists/*
COPY myapp /usr/local/bin/
CMD ["dumb-init", "myapp", "serve"]
