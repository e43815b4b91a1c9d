FROM alpine
CMD python app.py # start the server
CMD python app.py #no space
  CMD app --x=1   # indented
CMD app a#b
