FROM alpine AS one
CMD ["one"]
ENTRYPOINT ["/one"]
HEALTHCHECK NONE
ONBUILD CMD ["later"]
ONBUILD CMD ["later-still"]

FROM one
CMD ["two"]
