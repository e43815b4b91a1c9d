FROM golang:1.23 AS Build
RUN go build -o /app .
FROM Build AS Test
RUN go test ./...
FROM alpine
COPY --from=Build /app /app
RUN --mount=type=cache,target=/root/.cache \
    --mount=from=Test,target=/t ls /t
ONBUILD COPY --from=Build /a /b
