FROM python:3.12
  # check=skip=JSONArgsRecommended
CMD ["python", "app.py"]

FROM python:3.12
# check=skip=JSONArgsRecommended
CMD python app.py
