FROM python:3.12-slim
	CMD ["python", "app.py", "--greeting", "héllo ☃", "--sep", "\t"]
