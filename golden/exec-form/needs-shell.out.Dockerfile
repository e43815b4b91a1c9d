FROM alpine
CMD python -m http.server $PORT
CMD python -m http.server "${PORT:-8000}"
CMD cd /app && python x.py
CMD python a.py | tee /log
CMD python a.py || exit 1
CMD python a.py > /log 2>&1
CMD app *.txt
CMD app ~/config
CMD app --prefix=~/x
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
CMD set -e; app
CMD app; other
CMD app $(cat /x)
CMD app `date`
CMD app $((1+2))
CMD echo {a,b}
CMD app $'a\nb'
CMD app "unterminated
CMD exec gunicorn --bind :$PORT app:app
CMD trap 'x' TERM; app $X
CMD python a.py; echo done
CMD app && cd /tmp
CMD a; b; c $X
CMD { a; b; } && c $X
