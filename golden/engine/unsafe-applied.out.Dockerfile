FROM alpine
RUN echo CHANGED
