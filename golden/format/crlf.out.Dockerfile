FROM alpine

RUN echo one \
    echo two
# comment
CMD ["a", "b"]
RUN <<EOF
body  
EOF
RUN echo end
