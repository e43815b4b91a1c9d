FROM alpine AS build
FROM alpine
COPY a \
    --from=Build b
COPY \
    --from=build \
    /x /y
