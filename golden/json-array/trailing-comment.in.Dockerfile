FROM alpine
CMD ["python", "app.py"] # start the server
CMD ['a'] # both at once
CMD [] # clear the command
FROM alpine
ENTRYPOINT ["/app"]   #no space
