FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends python3.12 && rm -rf /var/lib/apt/lists/*
COPY server.py /srv/
CMD ["python3.12", "-OO", "/srv/server.py", "--workers", "2"]
