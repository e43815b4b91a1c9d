FROM alpine:3.20
RUN apk add --no-cache nodejs npm
WORKDIR /app
COPY . .
RUN npm ci
CMD ["npm", "run", "dev", "--", "--host", "0.0.0.0"]
