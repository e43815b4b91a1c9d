FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libmojolicious-perl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
ENTRYPOINT ["perl", "-w", "-Ilib", "script/app"]
CMD ["daemon", "-l", "http://*:8080"]
