FROM python:3.12 AS from-base
CMD []

FROM alpine AS parent
CMD ["serve"]

FROM parent AS cleared
CMD []

FROM nginx:1.27 AS keeps-entrypoint
CMD []

# The ENTRYPOINT already resets the inherited CMD: CMD [] clears nothing.
FROM parent AS own-entrypoint
ENTRYPOINT ["/app"]
CMD []

# Unknown base image: nothing known to clear.
FROM example.com/base AS unknown
CMD []
