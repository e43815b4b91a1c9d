FROM alpine
CMD ["a", "b", "c"]
ENTRYPOINT ["/bin/sh", "-c", "echo $0"]
SHELL ["/bin/sh", "-eu", "-c"]
COPY --chown=app:app ["a b", "/dst/"]
VOLUME ["/data"]
RUN ["echo", "été", "tab\tand \"quote\"", "<&>"]
RUN []
HEALTHCHECK --interval=30s CMD ["curl", "-f", "http://localhost/"]
FROM alpine AS commented
CMD ["python", \
    # the interpreter flag
    "-u", \
    "app.py"]
FROM alpine AS shellform
CMD ["a"]   # not JSON: BuildKit runs this through the shell
FROM alpine AS continued
ENTRYPOINT \
    ["/entry", "x"]
