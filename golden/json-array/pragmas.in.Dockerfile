FROM alpine
# hadolint ignore=DL3025
CMD ['a']
# cmdfix ignore=json-array
CMD ['b']
CMD ['c']
