FROM alpine
SHELL ["busybox", "sh", "-c"]
CMD ['python', 'app.py']

FROM debian
# without -c, bash would run a script named by the text: cmdfix cannot tell it fails
SHELL ["/bin/bash", "-l"]
CMD ['python', 'app.py']

FROM debian
SHELL ["pwsh", "-Command"]
CMD ['python', 'app.py']
