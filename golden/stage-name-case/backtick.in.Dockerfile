# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS Build
FROM Build
COPY --from=Build `
    C:/a C:/b
