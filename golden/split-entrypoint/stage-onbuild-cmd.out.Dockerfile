FROM python:3.12-slim AS base
WORKDIR /app
COPY . .
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
ONBUILD CMD ["python", "worker.py", "--queue", "default"]

FROM base AS worker
RUN pip install --no-cache-dir -r worker-requirements.txt
