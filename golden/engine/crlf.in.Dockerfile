FROM alpine
RUN echo REPLACE \
    # an inner comment
    --flag
CMD keep  this   
