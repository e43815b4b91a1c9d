FROM debian:12
CMD ["--verbose"]
ENTRYPOINT ["/usr/local/bin/app"]
CMD ["--quiet"]
