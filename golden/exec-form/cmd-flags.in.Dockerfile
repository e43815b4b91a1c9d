FROM alpine
CMD --verbose app
FROM alpine
CMD -- --verbose app
FROM alpine
CMD -x app
