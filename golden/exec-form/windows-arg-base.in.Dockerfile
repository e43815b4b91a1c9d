# Base images chosen by build arguments, as Windows images often are.
ARG REGISTRY=mcr.microsoft.com
ARG WINDOWS_BASE=$REGISTRY/windows/servercore:ltsc2022
ARG LINUX_BASE=debian:bookworm-slim
ARG ANY_BASE

# A Windows image by the defaults of its ARGs: the Windows shell runs the CMD.
FROM ${WINDOWS_BASE} AS win
CMD python app.py

# Built on it: still Windows.
FROM win
CMD python other.py

# A Linux image by its ARG's default: converted.
FROM ${LINUX_BASE}
CMD python app.py

# No default, and nothing in the file reads like Windows: converted, with
# the assumption stated.
FROM $ANY_BASE
CMD python app.py
