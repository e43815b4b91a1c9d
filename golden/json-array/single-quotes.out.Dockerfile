FROM alpine
CMD ["python", "app.py"]
  CMD [ 'a' ,  'b' ]
CMD ["say \"hi\"", "it's"]
CMD ['it''s']
FROM alpine
ENTRYPOINT ["/docker-entrypoint.sh"]
