FROM node:20-alpine
WORKDIR /app
COPY . .
CMD ["node", "server.js", "--port", "3000"]
