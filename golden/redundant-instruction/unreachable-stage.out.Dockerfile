FROM alpine AS unused
CMD ["b"]

FROM alpine
CMD ["c"]
