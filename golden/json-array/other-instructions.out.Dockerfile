FROM alpine
RUN ["apt-get", "update"]
RUN --mount=type=cache,target=/root/.cache ["pip", "install", "x"]
SHELL ["/bin/bash", "-c"]
HEALTHCHECK --interval=5s --timeout="3s" CMD ["curl", "-f", "http://localhost/"]
HEALTHCHECK CMD ["check"]
