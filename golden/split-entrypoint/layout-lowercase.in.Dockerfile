from python:3.12-slim
copy app.py /app/
cmd ["python", "/app/app.py", "--debug"]
