FROM alpine
# hadolint ignore=DL4004
ENTRYPOINT ["/kept"]
ENTRYPOINT ["/wins"]
