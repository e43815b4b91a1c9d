FROM python:3.12-alpine
WORKDIR /srv/www
COPY site/ .
ENTRYPOINT ["python", "-m", "http.server"]
CMD ["8000"]
