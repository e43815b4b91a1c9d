ARG NGINX_VERSION=1.27
ARG PYTHON_VERSION=3.12
ARG IMAGE=postgres:16
FROM nginx:1.27
CMD ["nginx", "-g", "daemon off;"]
FROM postgres:16 AS db
CMD ["postgres", "-c", "max_connections=200"]
FROM db
CMD ["postgres", "-c", "shared_buffers=1GB"]
FROM docker.io/library/redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
CMD ["redis-server", "--appendonly", "yes"]
FROM nginx:${NGINX_VERSION}-alpine
CMD ["nginx", "-g", "daemon off;"]
FROM python:${PYTHON_VERSION}-slim
CMD ["python", "app.py"]
FROM ${IMAGE}
CMD ["postgres", "-c", "fsync=off"]
