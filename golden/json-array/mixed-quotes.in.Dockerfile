FROM alpine
CMD ["python", 'app.py']
CMD ['a', "b\"c", "tab\there", "\u00e9"]
FROM nginx
CMD ['nginx', '-g', 'daemon off;']
FROM node
CMD ['node', 'server.js']
FROM alpine
ENTRYPOINT ["/entry.sh"]
CMD ['--port', '80']
