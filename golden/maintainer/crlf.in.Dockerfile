FROM alpine
MAINTAINER Jane \
    # a comment
    Doe
