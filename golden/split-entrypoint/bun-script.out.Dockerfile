FROM debian:bookworm-slim
COPY --from=oven/bun:1 /usr/local/bin/bun /usr/local/bin/bun
WORKDIR /app
COPY . .
ENTRYPOINT ["bun", "run", "src/index.ts"]
CMD ["--port", "3000"]
