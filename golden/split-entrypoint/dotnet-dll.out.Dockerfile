FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends aspnetcore-runtime-8.0 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY publish/ .
ENTRYPOINT ["dotnet", "MyApp.dll"]
CMD ["--urls", "http://0.0.0.0:8080"]
