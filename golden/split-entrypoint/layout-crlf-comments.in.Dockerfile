FROM python:3.12-slim

# the dev server
  CMD ["python", "manage.py", \
  # bind to every interface
       "runserver", "0.0.0.0:8000"]
