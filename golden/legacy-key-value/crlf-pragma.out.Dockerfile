FROM alpine
ENV A="b c"
# check=skip=LegacyKeyValueFormat
ENV B kept
