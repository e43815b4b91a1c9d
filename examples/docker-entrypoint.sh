#!/bin/sh
set -e
# wait for the database, then run the command
python /app/wait_for_db.py
"$@"
