FROM alpine
CMD ["echo", "hello", "world"]
CMD ["echo", "a b", "c", "-n"]
CMD echo 'a\nb'
CMD ["echo", "-n", "hello"]
CMD echo -e "x\ty"
CMD ["/bin/echo", "a\\nb"]
CMD ["printf", "%s\\n", "hello"]
