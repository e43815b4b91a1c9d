FROM alpine
CMD echo REPLACE