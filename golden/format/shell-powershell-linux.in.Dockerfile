FROM mcr.microsoft.com/powershell:lts-alpine-3.17
SHELL ["pwsh", "-Command"]
RUN Write-Host "one"; \
      Write-Host "two"
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN echo three && \
      echo four
