FROM alpine
# check=skip=ExposeInvalidFormat
EXPOSE 8080:80
EXPOSE 8081:81
