# check=skip=all
FROM python:3.12
CMD ["kept"]
ENTRYPOINT python app.py
CMD ["--debug"]
