# cmdfix's image: a static cmdfix on an empty base, run as a non-root user.
#
#   docker build -t cmdfix .
#   docker run --rm -v "$PWD:/src" -w /src cmdfix --check .
#
# The binary is built by build/dist, as the release archives are, so for
# the same VERSION, COMMIT and SOURCE_DATE_EPOCH it is the same bytes as
# the archive's. A release passes them as build arguments (see
# .github/workflows/release.yml).

FROM --platform=$BUILDPLATFORM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG TARGETOS TARGETARCH
ARG VERSION=v0.0.0-unreleased
ARG COMMIT=unknown
ARG SOURCE_DATE_EPOCH=0
RUN go run ./build/dist -o /dist -targets "$TARGETOS/$TARGETARCH" \
    && mkdir /out \
    && cp "/dist/bin/$TARGETOS-$TARGETARCH/cmdfix" LICENSE /out/

FROM scratch
ARG VERSION=v0.0.0-unreleased
LABEL org.opencontainers.image.title="cmdfix" \
    org.opencontainers.image.description="Fixes and formats Dockerfiles without changing what they build" \
    org.opencontainers.image.source="https://github.com/cmdfix/cmdfix" \
    org.opencontainers.image.licenses="Apache-2.0" \
    org.opencontainers.image.version="$VERSION"
COPY --from=build /out/cmdfix /usr/local/bin/cmdfix
COPY --from=build /out/LICENSE /usr/share/doc/cmdfix/LICENSE
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["cmdfix"]
