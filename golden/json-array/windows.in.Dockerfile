# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
CMD ['C:/app.exe', '--x']
RUN ["powershell", `
    "-Command", "x",]
