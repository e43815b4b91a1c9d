cd /app
exec node server.js "$@"
