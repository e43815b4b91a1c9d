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
