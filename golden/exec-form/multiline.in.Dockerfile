FROM alpine
CMD python \
    # the entry module
    app.py \
    --port 8000
FROM alpine
ENTRYPOINT exec \
  gunicorn \

  -b 0.0.0.0:8000 \
  app:app
FROM alpine
CMD ["python", \
    # a comment inside exec form
    "app.py"]
