FROM alpine
ENV GPG_KEYS \
# Alice
	AAAA1111 \
# Bob
	BBBB2222
ENV A=1 \
    B="two   words" \
    C='three \
   lines' \
    D=4
LABEL org.opencontainers.image.title="demo"   \
    org.opencontainers.image.description="a  description \
that spans lines"
LABEL maintainer Jane   Doe
ARG VERSION=1.0 \
    OTHER
