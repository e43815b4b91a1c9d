FROM alpine
# cmdfix ignore=redundant-instruction
CMD ["kept"]
CMD ["wins"]
