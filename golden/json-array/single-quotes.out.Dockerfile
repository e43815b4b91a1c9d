FROM alpine
CMD ['python', 'app.py']
ENTRYPOINT ["/docker-entrypoint.sh"]
  cmd [ 'a' ,  'b' ]
CMD ['say "hi"', 'it''s']
