FROM alpine:3.20
RUN apk add --no-cache tini su-exec
COPY scripts/ /opt/
ENTRYPOINT ["/sbin/tini", "--", "/opt/entrypoint.sh"]
CMD ["node", "server.js"]
