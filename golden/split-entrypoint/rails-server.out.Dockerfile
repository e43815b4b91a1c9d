FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ruby ruby-bundler && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN bundle install
ENTRYPOINT ["bin/rails"]
CMD ["server", "-b", "0.0.0.0"]
