FROM python:3.12 AS base
CMD ["gunicorn", "app:app"]

FROM base AS wrapped
ENTRYPOINT ["tini", "--"]

FROM base AS replaced
ENTRYPOINT ["celery", "-A", "app", "worker"]

FROM base AS kept
CMD ["gunicorn", "--reload", "app:app"]
ENTRYPOINT ["/docker-entrypoint.sh"]
