FROM python:3.12
CMD gunicorn --bind :$PORT app:wsgi
