FROM alpine
RUN echo ab   \
      c
run   echo ok
