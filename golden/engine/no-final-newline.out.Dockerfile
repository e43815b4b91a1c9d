FROM alpine
  run echo REPLACED
