FROM nginx:1.27 AS both
ENTRYPOINT []

FROM nginx:1.27 AS with-cmd
ENTRYPOINT []
CMD ["nginx", "-g", "daemon off;"]

FROM python:3.12 AS cmd-only
ENTRYPOINT []

FROM alpine AS parent
ENTRYPOINT ["/parent-entry"]
CMD ["serve"]

FROM parent AS child
ENTRYPOINT []

FROM example.com/base AS unknown
ENTRYPOINT []
