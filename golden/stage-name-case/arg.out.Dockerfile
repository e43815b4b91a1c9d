ARG NAME=x
FROM alpine AS base
COPY --from=$NAME /a /b
FROM base
