FROM alpine
MAINTAINER Jane Doe <jane@example.com>
ONBUILD MAINTAINER x
