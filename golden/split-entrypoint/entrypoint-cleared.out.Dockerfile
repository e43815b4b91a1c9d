FROM node:20-alpine
WORKDIR /app
COPY . .
# run node directly, without the image's docker-entrypoint.sh
ENTRYPOINT ["node", "server.js"]
EXPOSE 3000
CMD ["--port", "3000"]
