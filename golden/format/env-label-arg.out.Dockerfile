FROM alpine
# Alice
# Bob
ENV GPG_KEYS="AAAA1111 	BBBB2222"
ENV A=1 \
    B="two   words" \
    C='three \
   lines' \
    D=4
LABEL org.opencontainers.image.title="demo"   \
    org.opencontainers.image.description="a  description \
that spans lines"
LABEL maintainer="Jane   Doe"
ARG VERSION=1.0 \
    OTHER
