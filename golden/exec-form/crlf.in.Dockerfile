FROM alpine
CMD python app.py
HEALTHCHECK --interval=5s CMD curl \
    # probe
    -f http://localhost/
CMD app # comment
