# escape=`
FROM scratch
COPY app.exe C:/app/
ENTRYPOINT ["C:\\app\\app.exe"]
CMD ["serve", "--port", "80"]
