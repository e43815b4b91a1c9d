FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win
CMD python app.py
FROM win
CMD python other.py
FROM --platform=windows/amd64 myorg/tool
CMD tool run
FROM golang:1.22-nanoserver
CMD go version
FROM gcr.io/my-project/go-windows
CMD go run main.go
