FROM debian:12
# a blank after [ makes it the test command [, which succeeds today
CMD [ 'x', ]

FROM debian:12
CMD [ "/bin/true" ]

FROM debian:12
CMD ['python', 'app.py']
