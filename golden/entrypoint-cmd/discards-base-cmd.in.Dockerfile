FROM nginx:1.27 AS wrapped
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]

FROM alpine:3.20 AS init
ENTRYPOINT ["/sbin/tini", "--"]

# The base image's CMD is a shell, which an ENTRYPOINT of its own replaces
# by design: nothing to report.
FROM python:3.12 AS program
ENTRYPOINT ["python", "-m", "http.server"]

# Unknown base image: its CMD is not known offline.
FROM example.com/team/base:1 AS unknown
ENTRYPOINT ["/entrypoint.sh"]
