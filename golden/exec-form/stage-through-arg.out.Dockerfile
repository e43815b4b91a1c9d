# BuildKit expands global ARGs in FROM before it looks up stage names
ARG PARENT=builder
ARG IMG
ARG LOWER=Builder
FROM alpine:3.20 AS builder
ENTRYPOINT ["/entry.sh"]

FROM ${PARENT}
# the ENTRYPOINT of stage builder receives this CMD
CMD python app.py

FROM ${IMG:-builder} AS second
CMD python app.py

FROM $LOWER AS third
CMD python app.py

FROM ${IMG} AS unknown
CMD ["python", "app.py"]
