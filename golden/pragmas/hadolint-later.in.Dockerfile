FROM alpine
CMD ["kept"]
# hadolint flags the later CMD, so its pragma goes there; it keeps the CMD
# before it too.
# hadolint ignore=DL4003
CMD ["wins"]
