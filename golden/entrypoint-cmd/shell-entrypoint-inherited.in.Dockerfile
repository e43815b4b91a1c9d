FROM alpine:3.20 AS base
ENTRYPOINT /usr/local/bin/start-server

FROM base AS debug
CMD ["--debug"]

FROM base AS plain
RUN true
