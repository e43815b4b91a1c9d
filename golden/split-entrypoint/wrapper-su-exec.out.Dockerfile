FROM alpine:3.20
RUN apk add --no-cache su-exec
COPY myapp /usr/local/bin/
CMD ["su-exec", "app:app", "myapp", "serve"]
