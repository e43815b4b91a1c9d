FROM alpine
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
HEALTHCHECK --interval=30s --timeout=3s --start-period="5s" CMD ["wget", "-q", "--spider", "http://localhost:8080/health"]
HEALTHCHECK --retries=3 CMD ["/usr/local/bin/check"]
HEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1
HEALTHCHECK --interval=5s \
    CMD curl -f http://$HOST/
HEALTHCHECK NONE
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
