#!/bin/sh
set -e
if [ "$1" = "nginx" ]; then
  envsubst < /etc/nginx/tpl > /etc/nginx/nginx.conf
fi
exec "$@"
