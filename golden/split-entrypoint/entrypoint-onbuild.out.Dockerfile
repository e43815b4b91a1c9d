FROM alpine:3.20 AS base
ONBUILD ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]

FROM base AS app
CMD ["myapp", "serve", "--port", "8080"]
