FROM alpine:3.20
RUN apk add --no-cache tini
COPY myapp /usr/local/bin/
CMD ["/sbin/tini", "--", "myapp", "serve"]
