FROM alpine
CMD ["python", "app.py"]
    # probe
HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/"]
# comment
CMD ["app"]
