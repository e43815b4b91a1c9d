FROM node:20-alpine AS base
ENTRYPOINT []

FROM base AS app
WORKDIR /app
COPY . .
ENTRYPOINT ["node", "server.js"]
CMD ["--port", "3000"]
