FROM alpine
RUN <<EOF
echo REPLACE
# not a comment
EOF
RUN cat <<A - <<-B && echo REPLACE
a
A
	b
	B
RUN echo REPLACE
RUN echo REMOVE
