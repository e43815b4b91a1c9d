FROM alpine
ENTRYPOINT /start.sh
# Both ENTRYPOINTs are kept on purpose, and so is the shell form.
# cmdfix ignore=all
ENTRYPOINT /start.sh --fast
CMD ["--flag"]
