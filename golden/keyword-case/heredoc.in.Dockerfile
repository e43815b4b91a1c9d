FROM alpine
run <<EOF
echo hi
EOF
