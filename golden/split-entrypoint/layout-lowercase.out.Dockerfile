from python:3.12-slim
copy app.py /app/
entrypoint ["python", "/app/app.py"]
cmd ["--debug"]
