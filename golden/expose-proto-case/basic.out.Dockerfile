FROM alpine
EXPOSE 80/tcp 443/udp 53/udp
EXPOSE 8080 \
    # the metrics port
    9090/sctp
ONBUILD EXPOSE 80/TCP
EXPOSE $PORT/TCP
