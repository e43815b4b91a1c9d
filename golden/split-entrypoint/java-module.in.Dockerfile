FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-21-jre-headless && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY build/mods/ mods/
CMD ["java", "--module-path", "mods", "-m", "com.example/com.example.Main", "--port", "80"]
