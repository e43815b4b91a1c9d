FROM alpine
RUN echo UNSAFE
