FROM python:3.12-slim
COPY start.sh /start.sh
CMD ["/bin/sh", "/start.sh", "--port", "8000"]
HEALTHCHECK CMD ["/bin/sh", "/start.sh", "check"]
