FROM python:3.12-slim
WORKDIR /app
COPY . .
ENTRYPOINT ["./entrypoint.sh"]
CMD ["--bind", "0.0.0.0:8000"]
