# the daemon runs a shell-form HEALTHCHECK with the final shell of the image
FROM debian:12 AS same-stage
HEALTHCHECK CMD curl -f http://localhost/
SHELL ["pwsh", "-Command"]

FROM debian:12 AS parent
HEALTHCHECK CMD curl -f http://localhost/

FROM parent AS child
SHELL ["/bin/bash", "-c"]

FROM debian:12 AS explicit-default
SHELL ["/bin/sh", "-c"]
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
CMD ["python", "app.py"]

FROM debian:12 AS plain
HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/"]
