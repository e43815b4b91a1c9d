# syntax=docker/dockerfile:1
FROM alpine
# above
RUN echo REPLACE \
  # first inner comment
    && two \

  # second inner comment
    && three
RUN REMOVE \
  # kept after removal
  now
RUN done
