FROM python:3.12-slim AS base
WORKDIR /app
COPY . .
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]

FROM base AS worker
CMD ["sh", "-c", "celery -A proj worker --concurrency=${CONCURRENCY:-2}"]
