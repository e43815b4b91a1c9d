FROM alpine AS a
healthcheck --interval=5s cmd curl -f http://localhost/ || exit 1
FROM alpine AS b
HealthCheck   None
FROM alpine AS c
ONBUILD healthcheck cmd ["a", "b"]
