FROM alpine AS unused
CMD ["a"]
CMD ["b"]

FROM alpine
CMD ["c"]
