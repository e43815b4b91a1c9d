FROM alpine
RUN --mount=type=cache,target="/root/.cache dir" --network=none echo hi
COPY --chown=app:app \
    --from=builder \
    /src /dst
RUN --mount=type=secret,id=x \
    cat /run/secrets/x
RUN -- --not-a-flag
ADD --checksum=sha256:abc https://example.com/a.tgz /a.tgz
