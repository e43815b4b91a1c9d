FROM scratch
COPY myapp /myapp
CMD ["/myapp", "serve", "--port", "8080"]
