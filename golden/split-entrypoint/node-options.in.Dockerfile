FROM alpine:3.20
RUN apk add --no-cache nodejs npm
WORKDIR /app
COPY . .
CMD ["node", "--enable-source-maps", "-r", "dotenv/config", "dist/main.js", "--port", "3000"]
