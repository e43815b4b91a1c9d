FROM alpine AS no-cmd
ENTRYPOINT ["python", "app.py"]
FROM alpine AS cmd-after
ENTRYPOINT python app.py
CMD ["--debug"]
FROM alpine AS cmd-before
CMD ["--debug"]
ENTRYPOINT exec python app.py
FROM alpine AS onbuild-cmd
ENTRYPOINT python app.py
ONBUILD CMD ["--from-child"]
FROM alpine AS parent
ENTRYPOINT python app.py
FROM parent AS child-with-cmd
CMD ["--verbose"]
FROM alpine AS parent2
ENTRYPOINT python app.py
FROM parent2 AS child-with-entrypoint
ENTRYPOINT ["/other"]
CMD ["--x"]
FROM parent2 AS grandparent-route
RUN true
FROM grandparent-route
CMD ["--deep"]
