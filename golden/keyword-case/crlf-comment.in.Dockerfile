from alpine
run echo a \
  # a comment
  b
