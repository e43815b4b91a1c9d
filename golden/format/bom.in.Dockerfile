# syntax=docker/dockerfile:1
from alpine
run echo hi \
  && echo there
