FROM alpine
CMD ["python", "app.py"]
CMD ["a"]
CMD ["a"]
