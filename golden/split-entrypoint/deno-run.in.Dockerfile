FROM debian:bookworm-slim
COPY --from=denoland/deno:bin-2.1.4 /deno /usr/local/bin/deno
WORKDIR /app
COPY . .
CMD ["deno", "run", "--allow-net", "-c", "deno.json", "main.ts", "--port", "8000"]
