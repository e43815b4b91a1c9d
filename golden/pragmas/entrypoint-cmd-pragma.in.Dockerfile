FROM alpine AS base
# cmdfix ignore=entrypoint-cmd
ENTRYPOINT /start.sh

# Silenced by the pragma above the ENTRYPOINT the finding is about.
FROM base AS child
CMD ["--flag"]

FROM alpine AS other
ENTRYPOINT /start.sh
# cmdfix ignore=entrypoint-cmd
CMD ["--flag"]

FROM alpine AS reported
ENTRYPOINT /start.sh
# A BuildKit pragma speaks only for BuildKit's checks.
# check=skip=all
CMD ["--flag"]
