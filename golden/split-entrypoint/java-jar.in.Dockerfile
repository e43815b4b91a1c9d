FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-21-jre-headless && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY target/app.jar app.jar
CMD ["java", "-Xmx512m", "-jar", "app.jar", "--spring.profiles.active=prod"]
