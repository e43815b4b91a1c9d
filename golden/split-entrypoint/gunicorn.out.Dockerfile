FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
ENTRYPOINT ["gunicorn", "app:app"]
CMD ["-b", "0.0.0.0:8000", "--workers", "4"]
