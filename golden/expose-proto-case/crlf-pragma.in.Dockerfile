FROM alpine
# check=skip=ExposeProtoCasing
EXPOSE 80/TCP
EXPOSE 81/TCP
