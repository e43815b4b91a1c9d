FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
ENTRYPOINT ["flask", "--app", "hello"]
CMD ["run", "--port", "5000"]
