FROM alpine
LABEL broken it's
ENV Q='a b c d'
