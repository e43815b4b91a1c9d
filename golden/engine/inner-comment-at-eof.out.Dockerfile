FROM alpine
    # last line is a comment
RUN echo REPLACED