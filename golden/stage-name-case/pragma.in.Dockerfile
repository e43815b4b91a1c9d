FROM alpine
# check=skip=StageNameCasing
FROM alpine AS Base
FROM Base
