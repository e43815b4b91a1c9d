FROM alpine AS a
HEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1
FROM alpine AS b
HEALTHCHECK NONE
FROM alpine AS c
ONBUILD HEALTHCHECK CMD ["a", "b"]
