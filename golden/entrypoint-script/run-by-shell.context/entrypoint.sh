echo starting
java -jar /app.jar "$@"
