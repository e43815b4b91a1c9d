FROM alpine
    # comment
CMD ["/bin/sh", "-c", "echo $HOME     | tee x"]
HEALTHCHECK CMD ["/bin/sh", "-c", "curl -f localhost || exit 1"]
