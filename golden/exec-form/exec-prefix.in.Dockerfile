FROM alpine
CMD exec nginx -g 'daemon off;'
CMD exec
CMD exec -a name app
CMD exec -- app
CMD exec exec app
CMD exec cd /
