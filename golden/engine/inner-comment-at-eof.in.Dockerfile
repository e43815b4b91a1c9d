FROM alpine
RUN echo REPLACE \
    # last line is a comment