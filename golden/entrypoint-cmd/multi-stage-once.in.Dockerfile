# The combination is written in the first stage and reported there once,
# not again in every stage that inherits it.
FROM alpine AS base
ENTRYPOINT /start.sh
CMD ["--flag"]

FROM base AS a
RUN true

FROM base AS b
LABEL stage=b
