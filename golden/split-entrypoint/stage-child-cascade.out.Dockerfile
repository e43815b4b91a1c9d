FROM python:3.12-alpine AS builder
WORKDIR /code
COPY . .
ENTRYPOINT ["flask"]
CMD ["run"]

FROM builder AS dev-envs
RUN apk add git
ENTRYPOINT ["flask"]
CMD ["run"]
