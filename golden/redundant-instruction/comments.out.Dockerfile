FROM ubuntu:24.04

# Start the old server (kept: a comment above a removed instruction stays).
    # the port moved in v2

# The real command.
CMD ["/usr/bin/server", "--port", "9090"]
