FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends php-cli && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
CMD ["php", "-d", "memory_limit=-1", "bin/console", "messenger:consume", "async"]
