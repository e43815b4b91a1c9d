# syntax=docker/dockerfile:1
FROM alpine
RUN <<EOF
echo "CMD [\"not-an-instruction\"]"
EOF
COPY <<-'CONF' /etc/app.conf
	CMD inside a heredoc body
	CONF
RUN <<EOF
CMD ["third"]
EOF
CMD ["fourth"]
