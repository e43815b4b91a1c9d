FROM alpine
CMD ["python", "app.py"] # start the server
ENTRYPOINT ["/app"]   #no space
CMD ['a'] # both at once
CMD [] # clear the command
