FROM debian
# -c need not be the last option: bash -c -l TEXT ARGS still reads TEXT as the command
SHELL ["/bin/bash", "-c", "-l"]
ENTRYPOINT run-server --port 80
CMD ["--verbose"]
