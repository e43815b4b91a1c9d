FROM alpine:3.20
RUN apk add --no-cache nodejs npm
WORKDIR /app
COPY . .
ENTRYPOINT ["node", "server.js"]
CMD ["--port", "3000"]
