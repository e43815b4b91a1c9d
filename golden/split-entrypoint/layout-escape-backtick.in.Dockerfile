# escape=`
FROM scratch
COPY app.exe C:/app/
CMD ["C:\\app\\app.exe", "serve", "--port", "80"]
