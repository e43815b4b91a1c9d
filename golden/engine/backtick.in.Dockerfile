# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN echo REPLACE `
    # inner
    C:\path\
