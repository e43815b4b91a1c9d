ARG BASE=debian
FROM myorg/base:1.2 AS one
CMD ["python", "app.py"]
FROM ${BASE} AS two
CMD ["python", "app.py"]
FROM one
CMD ["./run.sh", "--fast"]
