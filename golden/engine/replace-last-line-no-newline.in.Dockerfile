FROM alpine
RUN echo REPLACE