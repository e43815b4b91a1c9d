FROM alpine
CMD ['python', \
    # the module
    'app.py']
RUN ["make",] # build
