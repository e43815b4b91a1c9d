#!/bin/bash
set -e
python manage.py migrate
gunicorn app:wsgi "$@"
