# No default for the base image, and the file reads like a Windows one
# (PowerShell, C:\ paths): the CMD may run under cmd /S /C, so it stays.
ARG BASE
FROM ${BASE}
RUN powershell -Command New-Item -ItemType Directory C:\app
CMD app.exe --serve
