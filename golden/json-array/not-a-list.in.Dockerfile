FROM alpine
CMD [app]
CMD ["a" "b"]
CMD ["a", b]
CMD ["a"] && b
CMD ['a', 1,]
CMD ["a",
CMD [,]
CMD [ -f /x ] && app
CMD [[ -f /x ]] && app
CMD [ "$1" = x ] && app
ENTRYPOINT [${NPM_CLI_PACKAGE}]
RUN [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
