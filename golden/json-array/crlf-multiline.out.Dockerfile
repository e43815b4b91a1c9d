FROM alpine
    # the module
CMD ["python", "app.py"]
# build
RUN ["make"]
