FROM alpine
# busybox runs its ash: a POSIX shell, so blanks between words may change
SHELL ["busybox", "sh", "-c"]
RUN apk add curl \
  && rm -rf /var/cache/apk/*

FROM debian
# bash without -c would take the text for a script's name: left as written
SHELL ["/bin/bash", "-l"]
RUN apt-get update \
  && apt-get install -y curl
