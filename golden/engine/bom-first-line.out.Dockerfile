RUN echo REPLACED
FROM alpine
