ARG NAME=x
FROM alpine AS Base
COPY --from=$NAME /a /b
FROM Base
