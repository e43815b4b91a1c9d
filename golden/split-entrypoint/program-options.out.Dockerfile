FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["nginx"]
CMD ["-g", "daemon off;"]
