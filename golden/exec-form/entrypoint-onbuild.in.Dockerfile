FROM alpine AS base
ONBUILD ENTRYPOINT ["/from-trigger.sh"]
FROM base
CMD python app.py
