FROM alpine AS plain
CMD

FROM alpine AS with-entrypoint
ENTRYPOINT ["/app"]
CMD

FROM nginx AS base-entrypoint
CMD

FROM alpine AS bare-entrypoint
ENTRYPOINT
