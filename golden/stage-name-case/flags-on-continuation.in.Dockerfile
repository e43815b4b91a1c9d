FROM alpine AS Build
FROM alpine
COPY a \
  --from=Build b
COPY \
  --from=Build \
  /x /y
