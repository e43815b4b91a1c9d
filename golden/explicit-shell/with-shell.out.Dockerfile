FROM alpine
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
ENTRYPOINT ["/bin/ash", "-eo", "pipefail", "-c", "exec server \"$@\""]
HEALTHCHECK --interval=5s CMD wget -q localhost || exit 1
ONBUILD CMD echo $X
CMD ["already", "exec"]
