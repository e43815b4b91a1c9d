FROM alpine
CMD ["b"]