FROM node:22-slim
COPY bin/ /usr/local/bin/
CMD run-app
