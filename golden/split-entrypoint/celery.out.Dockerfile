FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
ENTRYPOINT ["celery", "-A", "proj"]
CMD ["worker", "--loglevel=info"]
