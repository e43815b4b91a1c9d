FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends php-cli && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
CMD ["php", "artisan", "serve", "--host=0.0.0.0", "--port=8000"]
