FROM alpine
CMD ["kept: BuildKit reads the check comment of the later CMD"]
# check=skip=MultipleInstructionsDisallowed

CMD ["kept: a blank line does not end BuildKit's comments"]
# check = skip = MultipleInstructionsDisallowed
CMD ["wins"]

FROM alpine
# check=skip=MultipleInstructionsDisallowed
#
CMD ["wins"]

FROM alpine
# check=skip=MultipleInstructionsDisallowed;frobnicate=yes
CMD ["wins"]

FROM alpine
# check=skip=all
CMD ["kept"]
CMD ["wins"]
