FROM python:3.12-slim
WORKDIR /app
CMD ["python", "old.py"]
COPY . .
CMD ["python", "app.py"]
