FROM python:3.12-alpine AS builder
WORKDIR /code
COPY . .
CMD ["flask", "run"]

FROM builder AS dev-envs
RUN apk add git
CMD ["flask", "run"]
