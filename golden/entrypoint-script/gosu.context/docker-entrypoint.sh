#!/bin/sh
set -e
if [ "$1" = "postgres" ]; then
  chown -R postgres /var/lib/postgresql/data
  exec gosu postgres "$@"
fi
exec "$@"
