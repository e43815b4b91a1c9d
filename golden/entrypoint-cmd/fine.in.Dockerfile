FROM python:3.12
ENTRYPOINT ["python", "-m", "app"]
CMD ["--port", "80"]

FROM alpine
CMD ["sh", "-c", "echo hi"]

FROM nginx
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["nginx", "-g", "daemon off;"]
