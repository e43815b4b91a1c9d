FROM alpine
    # a comment
LABEL org.opencontainers.image.authors='Jane     Doe'
