FROM alpine
    # an inner comment
RUN echo REPLACED     --flag
CMD keep  this   
