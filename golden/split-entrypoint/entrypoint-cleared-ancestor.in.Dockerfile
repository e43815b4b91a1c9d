FROM node:20-alpine AS base
ENTRYPOINT []

FROM base AS app
WORKDIR /app
COPY . .
CMD ["node", "server.js", "--port", "3000"]
