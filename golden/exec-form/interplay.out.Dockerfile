FROM node:22 AS app
WORKDIR /app
COPY . .
# the real one
CMD ["npm", "start"]

FROM nginx:1.27 AS web
CMD nginx -g 'daemon off;'

FROM alpine AS tool
ENTRYPOINT ["/usr/local/bin/tool", "--serve"]
HEALTHCHECK --interval=30s CMD ["wget", "-q", "--spider", "http://localhost/"]
