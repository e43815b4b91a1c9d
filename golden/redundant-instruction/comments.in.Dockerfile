FROM ubuntu:24.04

# Start the old server (kept: a comment above a removed instruction stays).
CMD /usr/bin/server \
    # the port moved in v2
    --port 8080 \
    \
    --verbose

# The real command.
CMD ["/usr/bin/server", "--port", "9090"]
