# syntax=docker/dockerfile:1
FROM alpine
run <<EOF
  echo "body lines keep their indentation"   
	and trailing blanks	

EOF
RUN <<-EOT bash
	echo chomped tabs
	EOT
RUN --mount=type=cache,target=/var/cache/apk \
      <<'EOF' sh -s -- arg
echo "$HOME is not expanded here"
EOF
RUN cat <<A - <<"B" > /out   
from a
A
from b
B
COPY   <<EOF   /etc/motd
Welcome   
EOF
onbuild   run <<EOF
echo later
EOF
RUN echo after
