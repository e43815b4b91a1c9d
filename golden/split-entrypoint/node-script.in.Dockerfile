FROM alpine:3.20
RUN apk add --no-cache nodejs npm
WORKDIR /app
COPY . .
CMD ["node", "server.js", "--port", "3000"]
