FROM alpine:3.20 AS base
CMD ["sh"]
ENTRYPOINT ["/base-entry"]

FROM base AS dev
# A stage built FROM another starts its own count: this CMD is live.
CMD ["dev-server"]

FROM base AS test
ENTRYPOINT ["/test-entry"]
CMD ["run-tests"]

FROM test
RUN true
