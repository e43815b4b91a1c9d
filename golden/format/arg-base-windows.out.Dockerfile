ARG BASE=mcr.microsoft.com/windows/servercore
ARG TAG=ltsc2022
FROM ${BASE}:${TAG}
RUN echo one && \
      echo two
FROM alpine
RUN echo three && \
    echo four
