FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*
COPY myapp /usr/local/bin/
CMD ["gosu", "app", "myapp", "serve"]
