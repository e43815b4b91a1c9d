FROM alpine
MAINTAINER Jane "JD" Doe $HOME
# hadolint ignore=DL4000
MAINTAINER kept
