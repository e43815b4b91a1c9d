FROM alpine AS build
RUN echo hi
ONBUILD RUN make
HEALTHCHECK --interval=5s CMD ["true"]
FROM build AS final
COPY --from=build /a /b
