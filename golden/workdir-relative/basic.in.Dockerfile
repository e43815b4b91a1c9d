FROM scratch AS out
WORKDIR app/bin
WORKDIR lib
FROM alpine
WORKDIR src
FROM alpine
WORKDIR /abs
WORKDIR rel
FROM scratch
WORKDIR $DIR
