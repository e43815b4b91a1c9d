FROM alpine:3.20
RUN apk add --no-cache nodejs npm
WORKDIR /app
COPY . .
RUN npm install -g pnpm && pnpm install --frozen-lockfile
ENTRYPOINT ["pnpm", "--filter", "web"]
CMD ["start"]
