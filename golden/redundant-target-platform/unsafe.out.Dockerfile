FROM alpine AS a
FROM alpine AS b
FROM --platform=$BUILDPLATFORM golang AS c
FROM --platform=linux/amd64 alpine AS d
