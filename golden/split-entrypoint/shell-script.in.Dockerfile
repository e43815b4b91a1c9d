FROM debian:bookworm-slim
COPY run.sh /run.sh
CMD ["bash", "/run.sh", "--port", "80"]
