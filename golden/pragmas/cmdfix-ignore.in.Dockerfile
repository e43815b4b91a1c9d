FROM alpine
# cmdfix ignore=redundant-instruction
CMD ["kept"]
CMD ["removed"]
CMD ["wins"]
