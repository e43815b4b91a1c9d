FROM redis:7
HEALTHCHECK --interval=10s CMD ["redis-cli", "ping"]
