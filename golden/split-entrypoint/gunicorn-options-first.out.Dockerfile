FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
ENTRYPOINT ["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "main:app"]
CMD ["--bind", "0.0.0.0:80"]
