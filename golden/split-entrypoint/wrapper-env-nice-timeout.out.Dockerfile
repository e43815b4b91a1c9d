FROM alpine:3.20 AS env
CMD ["env", "PORT=8080", "myapp", "serve"]

FROM alpine:3.20 AS nice
CMD ["nice", "-n", "10", "myapp", "serve"]

FROM alpine:3.20 AS timeout
CMD ["timeout", "3600", "myapp", "batch"]
