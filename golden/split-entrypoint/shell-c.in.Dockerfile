FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["sh", "-c", "exec gunicorn app:app --bind 0.0.0.0:$PORT"]
