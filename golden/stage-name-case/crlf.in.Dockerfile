FROM alpine AS Base
RUN true
FROM Base
