FROM alpine
RUN apk add --no-cache \
    curl \
    git \
    make
RUN echo one \
    # a comment after an empty line
    && echo two
RUN echo last \
