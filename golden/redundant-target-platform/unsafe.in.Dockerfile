FROM --platform=$TARGETPLATFORM alpine AS a
FROM --platform=${TARGETPLATFORM} alpine AS b
FROM --platform=$BUILDPLATFORM golang AS c
FROM --platform=linux/amd64 alpine AS d
