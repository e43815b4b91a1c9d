FROM alpine
# cmdfix ignore=redundant-instruction

# A blank line ends the comments that belong to the instruction below.
CMD ["removed"]
CMD ["wins"]
