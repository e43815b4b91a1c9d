FROM alpine
LABEL org.opencontainers.image.authors='Jane "JD" Doe $HOME'
# hadolint ignore=DL4000
MAINTAINER kept
