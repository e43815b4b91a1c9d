# Each stage keeps its own last CMD: the build stage's CMD is live for
# --target build, and the final stage's for the default target.
FROM golang:1.23 AS build
WORKDIR /src
CMD ["go", "test", "./..."]
RUN go build -o /out/app .

FROM gcr.io/distroless/static AS final
COPY --from=build /out/app /app
CMD ["/app", "--old-flag"]
CMD ["/app"]
