FROM debian:bookworm-slim
COPY run.sh /run.sh
ENTRYPOINT ["/run.sh"]
CMD ["8080", "--verbose"]
