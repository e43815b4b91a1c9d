FROM alpine
# old
CMD echo one \
    # inner
    two
ENTRYPOINT ["/a"]
ENTRYPOINT ["/b"]
CMD ["three"]
