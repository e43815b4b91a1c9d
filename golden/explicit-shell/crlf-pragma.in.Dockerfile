FROM alpine
SHELL ["/bin/sh", "-c"]
# hadolint ignore=DL3025
ENTRYPOINT echo a | b
CMD echo $A && b
