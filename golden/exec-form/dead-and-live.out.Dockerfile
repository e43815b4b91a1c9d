FROM alpine
CMD ["first", "arg"]
CMD ["python", "app.py"]
