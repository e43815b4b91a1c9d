# escape=`

FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS build

SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]

# PowerShell text keeps its layout; only the keyword and the line ends change.
RUN $url = 'https://example.com/x.zip'; `
        Invoke-WebRequest -Uri $url -OutFile C:\x.zip; `
  # a comment inside
    Expand-Archive C:\x.zip -DestinationPath C:\x; `
    Remove-Item C:\x.zip
ENV PATH="C:\x;C:\Windows\system32" `
    APP=C:\app\
WORKDIR C:\app
COPY --from=build ["C:\\x", "C:\\app"]
CMD ["C:\\app\\app.exe", "--port", "80"]
