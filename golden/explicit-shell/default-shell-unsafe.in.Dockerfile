FROM alpine
CMD echo $HOME \
    # comment
    | tee x
HEALTHCHECK CMD curl -f localhost || exit 1
