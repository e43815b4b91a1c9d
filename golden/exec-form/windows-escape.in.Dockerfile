# escape=`
FROM alpine
CMD python app.py
