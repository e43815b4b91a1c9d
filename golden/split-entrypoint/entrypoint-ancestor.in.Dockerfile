FROM alpine:3.20 AS base
RUN apk add --no-cache tini
ENTRYPOINT ["/sbin/tini", "--"]

FROM base AS app
COPY myapp /usr/local/bin/
CMD ["myapp", "serve", "--port", "8080"]
