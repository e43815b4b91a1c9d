FROM alpine
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
CMD echo $HOME | tee /tmp/x
ENTRYPOINT exec server "$@"
HEALTHCHECK --interval=5s CMD wget -q localhost || exit 1
ONBUILD CMD echo $X
CMD ["already", "exec"]
