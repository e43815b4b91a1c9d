FROM alpine
CMD ['python', 'app.py']
CMD [ -f /x ] && app
