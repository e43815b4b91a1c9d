FROM alpine:3.20
RUN apk add --no-cache nodejs npm
WORKDIR /app
COPY . .
RUN npm ci
ENTRYPOINT ["npx", "prisma"]
CMD ["studio", "--port", "5555"]
