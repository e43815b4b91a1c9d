FROM scratch
COPY myapp /myapp
ENTRYPOINT ["/myapp"]
CMD ["serve", "--port", "8080"]
