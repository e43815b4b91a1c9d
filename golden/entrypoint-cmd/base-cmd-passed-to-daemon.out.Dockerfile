FROM alpine:3.20
RUN apk add --no-cache openssh
COPY entrypoint.sh /entrypoint.sh
# The script passes its arguments to sshd: alpine's CMD ["/bin/sh"] was
# never meant for it, so nothing is reported.
ENTRYPOINT ["/entrypoint.sh"]
