FROM alpine
CMD ["removed"]
CMD ["kept"]
# hadolint ignore=DL4003
CMD ["wins"]
