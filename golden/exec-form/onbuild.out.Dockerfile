FROM alpine
ONBUILD CMD python app.py
ONBUILD ENTRYPOINT /entry.sh
ONBUILD HEALTHCHECK CMD curl -f http://localhost/
