FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
ENV PORT=8000
ENTRYPOINT ["python", "app.py"]
CMD ["--port", "8000"]
