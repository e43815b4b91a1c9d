ARG PARENT=app
FROM python:3.12-slim AS app
ENTRYPOINT ["python", "app.py"]
CMD ["--port", "80"]

# built on stage app through the ARG: app is split only once this stage
# has an ENTRYPOINT of its own, so app's new one never runs before this CMD
FROM ${PARENT} AS worker
ENTRYPOINT ["celery", "-A", "proj"]
CMD ["worker"]
