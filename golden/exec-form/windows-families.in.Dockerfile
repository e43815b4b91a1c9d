# global ARGs (before the first FROM) are what FROM can use
ARG PLATFORM=windows/amd64
FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1
CMD C:\build\tool.exe

FROM mcr.microsoft.com/windows/servercore/iis
CMD C:\ServiceMonitor.exe w3svc

FROM microsoft/dotnet-framework:4.7.2-runtime
CMD app.exe

FROM --platform=windows/amd64 myorg/builder
CMD build.cmd

FROM --platform=$PLATFORM myorg/builder AS viaarg
CMD build.cmd

FROM viaarg AS child
CMD build.cmd

# an image cmdfix does not know, and a Windows path in the command
FROM myorg/tools:1.0
CMD tool --out D:\\data

FROM debian:12
CMD tool --out D:/data
