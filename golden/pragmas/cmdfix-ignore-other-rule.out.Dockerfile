FROM alpine
# A pragma for another rule keeps nothing here.
# cmdfix ignore=exec-form
CMD ["wins"]
