FROM node:22-slim
COPY start.sh /start.sh
ENTRYPOINT ["/start.sh"]
