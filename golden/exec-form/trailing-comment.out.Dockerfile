FROM alpine
# start the server
CMD ["python", "app.py"]
#no space
CMD ["python", "app.py"]
  # indented
  CMD ["app", "--x=1"]
CMD ["app", "a#b"]
