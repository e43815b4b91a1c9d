FROM alpine
RUN echo REPLACED
CMD ["keep", "this"]
