FROM alpine
RUN apk add \
        curl \
    # inside
        git
ENV A=1 \
    B=2
