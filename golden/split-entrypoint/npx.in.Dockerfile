FROM alpine:3.20
RUN apk add --no-cache nodejs npm
WORKDIR /app
COPY . .
RUN npm ci
CMD ["npx", "prisma", "studio", "--port", "5555"]
