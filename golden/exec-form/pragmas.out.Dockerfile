# check=skip=JSONArgsRecommended
FROM alpine
CMD python app.py
