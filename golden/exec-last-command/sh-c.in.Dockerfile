FROM python:3.12-slim
CMD ["sh", "-c", "python manage.py migrate && gunicorn app:wsgi --bind 0.0.0.0:8000"]

FROM debian:bookworm-slim AS worker
ENTRYPOINT ["/bin/bash", "-o", "pipefail", "-ec", "prepare.sh; celery -A app worker"]

FROM debian:bookworm-slim AS left
# already execs, ends with || or a builtin, or runs a script file: nothing to do
CMD ["sh", "-c", "migrate && exec gunicorn app"]
ENTRYPOINT ["sh", "-c", "serve || echo failed"]
HEALTHCHECK CMD ["sh", "-c", "curl -f localhost && true"]

FROM debian:bookworm-slim AS file
CMD ["sh", "/start.sh"]
