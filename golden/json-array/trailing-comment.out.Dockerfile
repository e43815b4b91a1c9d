FROM alpine
CMD ["python", "app.py"] # start the server
#no space
ENTRYPOINT ["/app"]
CMD ['a'] # both at once
CMD [] # clear the command
