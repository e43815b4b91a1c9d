# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
RUN echo a `
  b
