FROM alpine AS base
ONBUILD CMD ["serve"]

# The parent's ONBUILD CMD runs first in this stage, so the ENTRYPOINT
# keeps it.
FROM base
ENTRYPOINT ["/docker-entrypoint.sh"]
