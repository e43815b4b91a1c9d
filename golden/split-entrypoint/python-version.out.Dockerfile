FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends python3.12 && rm -rf /var/lib/apt/lists/*
COPY server.py /srv/
ENTRYPOINT ["python3.12", "-OO", "/srv/server.py"]
CMD ["--workers", "2"]
