FROM alpine:3.20
RUN apk add --no-cache nodejs npm
COPY . /app
RUN npm --prefix /app ci
ENTRYPOINT ["npm", "--prefix", "/app"]
CMD ["start"]
