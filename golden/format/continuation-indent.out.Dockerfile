FROM debian:12
# Tabs, two spaces and eight spaces all become four.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
    ca-certificates \
    curl; \
    rm -rf /var/lib/apt/lists/*
# Nested blocks are not re-indented by depth: cmdfix is not a shell formatter.
RUN if [ -n "$X" ]; then \
    echo yes; \
    fi
# A glued break: BuildKit joins these lines into one word, so the second
# line keeps its place.
RUN echo foo\
bar && echo baz\
    qux
# Breaks inside quotes, a parameter expansion and a comment keep their lines.
RUN echo "first \
    second" && echo 'third \
        fourth' && \
    echo ${X:-a \
     b} && \
    echo done # trailing comment \
     still the comment
# An escaped blank at the break is part of a word.
RUN echo a\ \
  b
# A line of only the escape character.
RUN echo a && \
    \
    echo b
