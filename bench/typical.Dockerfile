# syntax=docker/dockerfile:1
# A web service in three stages: build the assets, build the server, and a
# small runtime image. Written for make bench: typical of what editors save.

ARG GO_VERSION=1.22
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-alpine AS assets
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build && \
    find dist -name '*.map' -delete

FROM golang:${GO_VERSION}-bookworm AS build
ENV CGO_ENABLED=0 \
    GOFLAGS=-trimpath
WORKDIR /src
RUN apt-get update && \
  apt-get install -y --no-install-recommends \
    ca-certificates \
    git \
    make && \
  rm -rf /var/lib/apt/lists/*
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
COPY --from=assets /src/web/dist ./internal/web/dist
# Version information comes from the build arguments.
ARG VERSION=dev
ARG COMMIT=unknown
RUN --mount=type=cache,target=/root/.cache/go-build \
    go build -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
      -o /out/server ./cmd/server
RUN go test ./... 

FROM debian:bookworm-slim AS runtime
LABEL org.opencontainers.image.source="https://example.com/acme/web" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system app \
 && useradd --system --gid app --home /app app
WORKDIR /app
COPY --from=build --chown=app:app /out/server /app/server
COPY config/ /app/config/
ENV PORT=8080 \
    LOG_LEVEL=info
EXPOSE 8080

USER app
healthcheck --interval=30s --timeout=3s \
  CMD curl -fsS http://localhost:8080/healthz || exit 1
VOLUME /app/data
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/server"]
CMD ["--config", "/app/config/server.yaml"]
