FROM alpine
RUN echo REPLACE
CMD ["keep", "this"]
