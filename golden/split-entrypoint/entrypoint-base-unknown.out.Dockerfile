FROM eclipse-temurin:21-jre AS temurin
COPY app.jar /app.jar
CMD ["java", "-jar", "/app.jar", "--server.port=8080"]

ARG BASE=python:3.12-slim
FROM ${BASE} AS configurable
CMD ["python", "manage.py", "runserver"]
