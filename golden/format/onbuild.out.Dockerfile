FROM alpine
ONBUILD RUN apk add \
    curl
ONBUILD COPY --chown=a:b ["x", "y"]
ONBUILD ADD . /src
ONBUILD
