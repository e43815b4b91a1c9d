# syntax=docker/dockerfile:1
FROM alpine
# above
  # first inner comment
  # second inner comment
RUN echo REPLACED     && two     && three
  # kept after removal
RUN done
