# syntax=docker/dockerfile:1.7   
#  check = skip=JSONArgsRecommended
# escape=\


# A plain comment after the directives.
FROM alpine
RUN echo hi
