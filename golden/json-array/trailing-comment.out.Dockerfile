FROM alpine
# start the server
CMD ["python", "app.py"]
# both at once
CMD ["a"]
# clear the command
CMD []
FROM alpine
#no space
ENTRYPOINT ["/app"]
