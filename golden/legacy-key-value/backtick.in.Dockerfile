# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
ENV DIR C:\Program Files\app
ENV P a `
    b
