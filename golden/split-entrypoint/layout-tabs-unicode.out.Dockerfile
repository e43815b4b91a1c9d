FROM python:3.12-slim
	ENTRYPOINT ["python", "app.py"]
	CMD ["--greeting", "héllo ☃", "--sep", "\t"]
