FROM alpine
# hadolint global ignore=DL4003
CMD ["kept"]
CMD ["kept too"]

FROM alpine
CMD ["kept"]
CMD ["wins"]
