# A check line after an ordinary comment is not a parser directive, so it
# applies only to the instruction below it, as in BuildKit.
# check=skip=MultipleInstructionsDisallowed
FROM alpine
CMD ["wins"]
