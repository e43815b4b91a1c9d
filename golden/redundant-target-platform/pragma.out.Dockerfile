# check=skip=RedundantTargetPlatform
FROM --platform=$TARGETPLATFORM alpine
