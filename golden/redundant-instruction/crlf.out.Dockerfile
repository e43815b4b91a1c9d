FROM alpine
# old
    # inner
ENTRYPOINT ["/b"]
CMD ["three"]
