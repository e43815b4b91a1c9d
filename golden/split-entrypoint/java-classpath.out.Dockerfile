FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-21-jre-headless && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY build/libs/ .
ENTRYPOINT ["java", "-cp", "app.jar:lib/*", "com.example.Main"]
CMD ["serve", "--port", "8080"]
