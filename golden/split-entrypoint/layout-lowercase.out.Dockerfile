FROM python:3.12-slim
COPY app.py /app/
ENTRYPOINT ["python", "/app/app.py"]
CMD ["--debug"]
