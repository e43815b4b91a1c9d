RUN echo REPLACE
FROM alpine
