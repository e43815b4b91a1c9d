FROM node:20-alpine
WORKDIR /app
COPY . .
# run node directly, without the image's docker-entrypoint.sh
ENTRYPOINT []
EXPOSE 3000
CMD ["node", "server.js", "--port", "3000"]
