#!/bin/sh
exec myserver --port "$1"
