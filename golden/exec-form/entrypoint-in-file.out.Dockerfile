FROM alpine AS base
ENTRYPOINT ["/entry.sh"]
CMD python app.py
FROM base AS child
CMD python other.py
FROM alpine AS cleared
ENTRYPOINT []
CMD ["python", "third.py"]
FROM nginx
ENTRYPOINT []
CMD ["nginx", "-g", "daemon off;"]
