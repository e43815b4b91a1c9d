FROM python:3.12-slim

# the dev server
  # bind to every interface
  ENTRYPOINT ["python", "manage.py"]
  CMD ["runserver", "0.0.0.0:8000"]
