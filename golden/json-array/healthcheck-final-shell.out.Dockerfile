FROM debian:12
HEALTHCHECK CMD ['curl', '-f', 'http://localhost/']
# a later SHELL runs the health check: its text was never read by sh
SHELL ["pwsh", "-Command"]

FROM debian:12
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
