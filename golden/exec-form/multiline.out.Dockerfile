FROM alpine
    # the entry module
CMD ["python", "app.py", "--port", "8000"]
FROM alpine
ENTRYPOINT ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
FROM alpine
CMD ["python", \
    # a comment inside exec form
    "app.py"]
