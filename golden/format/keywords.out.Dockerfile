FROM alpine:3.20 AS build
RUN echo hi
COPY --from=Build /a /b
EXPOSE 80 443/udp
ONBUILD RUN echo  "hi  there"
ONBUILD COPY --chown=app . /src
WORKDIR /app  dir
LABEL maintainer="x" version=1
ARG A=1 B
ENV PATH=/x:$PATH FOO="a  b"
USER app
VOLUME ["/data", "/logs"]
STOPSIGNAL SIGTERM
MAINTAINER Someone  <a@b.c>
bogus   Keep  this   as is
ENTRYPOINT ["/bin/app"]

FROM --platform=$BUILDPLATFORM golang:1.22 AS builder
FROM builder
