FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "app.py"]
ENV PORT=8000
CMD ["python", "app.py", "--port", "8000"]
