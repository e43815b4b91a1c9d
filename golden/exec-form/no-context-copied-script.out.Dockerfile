FROM python:3.12-slim
COPY start.sh /start.sh
CMD ["/start.sh"]
