# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS build
FROM build
COPY --from=build `
    C:/a C:/b
