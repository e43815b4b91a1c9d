FROM alpine
# A pragma for another rule keeps nothing here.
# cmdfix ignore=exec-form
CMD ["removed"]
CMD ["wins"]
