FROM alpine
# cmdfix ignore = entrypoint-cmd, redundant-instruction  -- both on purpose
ENTRYPOINT /start.sh
ENTRYPOINT /start.sh --fast
CMD ["--flag"]
