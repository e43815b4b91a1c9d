FROM alpine
RUN <<EOF
echo a

echo b
EOF
