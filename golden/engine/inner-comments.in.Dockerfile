# syntax=docker/dockerfile:1
FROM alpine
# above
RUN echo REPLACE \
  # first inner comment
    && two \

  # second inner comment
    && three
ENTRYPOINT REMOVE \
  # kept after removal
  now
RUN done
