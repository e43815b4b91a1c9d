FROM alpine
HEALTHCHECK CMD ["kept"]
# hadolint ignore=DL3012 # two on purpose
HEALTHCHECK NONE
