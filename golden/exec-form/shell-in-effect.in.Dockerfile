FROM alpine AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
CMD python app.py
FROM base
CMD python other.py
FROM alpine
CMD python third.py
