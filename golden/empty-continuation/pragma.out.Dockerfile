FROM alpine
# check=skip=NoEmptyContinuation
RUN a \
    b
