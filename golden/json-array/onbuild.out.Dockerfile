FROM alpine
ONBUILD CMD ["python", "app.py"]
ONBUILD RUN ["make"]
