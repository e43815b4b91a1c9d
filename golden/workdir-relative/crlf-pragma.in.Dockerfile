FROM scratch
# check=skip=WorkdirRelativePath
WORKDIR app
FROM scratch
WORKDIR ./app/../x
