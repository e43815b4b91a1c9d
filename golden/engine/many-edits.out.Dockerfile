FROM alpine AS one
RUN echo REPLACED
  LABEL inserted=1
  RUN echo INSERT
RUN echo REPLACED
FROM one
RUN echo REPLACED
