# cmd.exe and PowerShell append the CMD to the command line, so it is not
# ignored there; a bash SHELL behaves like /bin/sh.
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win
ENTRYPOINT C:\app\start.cmd
CMD ["--port", "80"]

FROM ubuntu:24.04 AS pwsh
SHELL ["pwsh", "-Command"]
ENTRYPOINT ./start.ps1
CMD ["-Port", "80"]

FROM ubuntu:24.04 AS bash
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ENTRYPOINT /start.sh | tee /log
CMD ["--port", "80"]
