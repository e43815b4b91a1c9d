FROM alpine:3.20
RUN apk add --no-cache nodejs npm
WORKDIR /app
COPY . .
ENTRYPOINT ["node", "--enable-source-maps", "-r", "dotenv/config", "dist/main.js"]
CMD ["--port", "3000"]
