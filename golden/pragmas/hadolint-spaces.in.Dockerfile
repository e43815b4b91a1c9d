FROM alpine
# hadolint ignore=DL3025, DL4003
CMD ["kept"]
CMD ["wins"]
