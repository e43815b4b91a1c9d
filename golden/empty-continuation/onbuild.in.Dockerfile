FROM alpine
ONBUILD RUN a \

    b
