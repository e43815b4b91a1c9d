# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
    # inner
RUN echo REPLACED     C:\path\
