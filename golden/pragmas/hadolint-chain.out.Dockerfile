FROM alpine
CMD ["kept"]
# hadolint ignore=DL4003
CMD ["wins"]
