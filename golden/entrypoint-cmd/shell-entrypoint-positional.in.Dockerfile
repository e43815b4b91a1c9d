FROM node:20
ENTRYPOINT exec node "$@"
CMD ["server.js", "--port", "80"]
