FROM debian:bookworm-slim
COPY --from=oven/bun:1 /usr/local/bin/bun /usr/local/bin/bun
WORKDIR /app
COPY . .
CMD ["bun", "run", "src/index.ts", "--port", "3000"]
