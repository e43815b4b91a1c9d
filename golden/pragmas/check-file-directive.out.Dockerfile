# syntax=docker/dockerfile:1
# check=skip=MultipleInstructionsDisallowed;error=true
FROM alpine
CMD ["kept"]
CMD ["wins"]
