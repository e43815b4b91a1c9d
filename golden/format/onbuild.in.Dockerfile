FROM alpine
onbuild   run   apk add \
          curl
OnBuild   COPY   --chown=a:b   [ "x" , "y" ]
ONBUILD  add   .   /src
ONBUILD
