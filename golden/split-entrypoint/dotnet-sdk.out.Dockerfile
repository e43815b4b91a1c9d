FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends dotnet-sdk-8.0 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
ENTRYPOINT ["dotnet"]
CMD ["run", "--project", "src/Api"]
