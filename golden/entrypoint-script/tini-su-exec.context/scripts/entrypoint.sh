#!/bin/sh
chown app /data
exec su-exec app "$@"
