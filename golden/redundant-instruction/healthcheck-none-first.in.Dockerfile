FROM redis:7
HEALTHCHECK NONE
HEALTHCHECK --interval=10s CMD ["redis-cli", "ping"]
