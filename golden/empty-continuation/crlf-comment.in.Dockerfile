FROM alpine
RUN apk add \

    # tools
    curl
