FROM golang:1.23 AS build
RUN go build -o /app .
FROM build AS test
RUN go test ./...
FROM alpine
COPY --from=build /app /app
RUN --mount=type=cache,target=/root/.cache \
    --mount=from=test,target=/t ls /t
ONBUILD COPY --from=Build /a /b
