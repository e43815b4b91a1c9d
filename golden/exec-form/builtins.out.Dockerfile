FROM debian:12
CMD umask 022

FROM debian:12
CMD ulimit -n 1024

FROM debian:12
CMD kill -l

FROM debian:12
CMD printf %q\\n x

FROM debian:12
CMD ["printf", "%s\\n", "hello"]

FROM alpine:3.20
CMD chdir /

FROM debian:12
CMD true --help

FROM debian:12
CMD [ -f /etc/hostname ]

FROM debian:12
CMD ["test", "1", "-eq", "1"]

FROM debian:12
CMD ["pwd", "-P"]

FROM debian:12
HEALTHCHECK CMD ["test", "-e", "/tmp/ready"]
