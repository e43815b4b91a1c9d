echo starting
exec python app.py "$@"
