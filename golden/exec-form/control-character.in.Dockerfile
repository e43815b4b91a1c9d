FROM alpine
CMD pythonapp.py
CMD a  b
