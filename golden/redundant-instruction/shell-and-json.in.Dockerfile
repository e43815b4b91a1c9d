FROM python:3.12
cmd python manage.py runserver
Cmd ["gunicorn", "app:wsgi"]
CMD   gunicorn --bind :$PORT app:wsgi
