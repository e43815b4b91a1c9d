FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python3", "-u", "-X", "dev", "-W", "ignore::DeprecationWarning", "app.py", "--port", "8000"]
