FROM eclipse-temurin:21-jre
COPY app.jar /app.jar
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["sh", "/entrypoint.sh"]
