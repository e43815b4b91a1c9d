FROM alpine
RUN echo a \
    # a comment
    b
