FROM node:22 AS app
WORKDIR /app
COPY . .
CMD node server.js
CMD npm start # the real one

FROM nginx:1.27 AS web
CMD nginx -g 'daemon off;'

FROM alpine AS tool
ENTRYPOINT exec /usr/local/bin/tool --serve
HEALTHCHECK --interval=30s CMD ['wget', '-q', '--spider', 'http://localhost/']
