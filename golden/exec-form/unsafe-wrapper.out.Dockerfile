FROM alpine
CMD ["/bin/sh", "-c", "exec python -m http.server $PORT"]
CMD ["/bin/sh", "-c", "exec python -m http.server \"${PORT:-8000}\""]
CMD ["/bin/sh", "-c", "cd /app && exec python x.py"]
CMD python a.py | tee /log
CMD python a.py || exit 1
CMD ["/bin/sh", "-c", "exec python a.py > /log 2>&1"]
CMD ["/bin/sh", "-c", "exec app *.txt"]
CMD ["/bin/sh", "-c", "exec app ~/config"]
CMD ["/bin/sh", "-c", "exec app --prefix=~/x"]
CMD FOO=1 app
CMD if true; then app; fi
CMD (cd /app && app)
CMD { app; }
CMD app &
CMD ! app
CMD time app
CMD [[ -f x ]] && app
CMD cd /app
CMD source env.sh
CMD export A=1
CMD ["/bin/sh", "-c", "set -e; exec app"]
CMD ["/bin/sh", "-c", "app; exec other"]
CMD ["/bin/sh", "-c", "exec app $(cat /x)"]
CMD ["/bin/sh", "-c", "exec app `date`"]
CMD ["/bin/sh", "-c", "exec app $((1+2))"]
CMD echo {a,b}
CMD ["/bin/sh", "-c", "exec app $'a\\nb'"]
CMD app "unterminated
CMD exec gunicorn --bind :$PORT app:app
CMD trap 'x' TERM; app $X
CMD python a.py; echo done
CMD app && cd /tmp
CMD ["/bin/sh", "-c", "a; b; exec c $X"]
CMD { a; b; } && c $X
