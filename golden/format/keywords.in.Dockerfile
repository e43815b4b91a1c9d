from  alpine:3.20   as   Build
Run   echo hi
copy  --from=Build   /a  /b
ExPoSe  80   443/udp
onbuild  run  echo  "hi  there"
OnBuild	copy   --chown=app   . /src
WorkDir   /app  dir
label  maintainer="x"   version=1
arg  A=1   B
env  PATH=/x:$PATH   FOO="a  b"
user  app
volume [ "/data" ,  "/logs" ]
stopsignal  SIGTERM
maintainer  Someone  <a@b.c>
bogus   Keep  this   as is
  entrypoint ["/bin/app"]

FROM --platform=$BUILDPLATFORM   golang:1.22   As   builder
FROM builder
