#!/bin/sh
set -e
ssh-keygen -A
exec /usr/sbin/sshd -D -e "$@"
