FROM alpine
CMD app "ünïcødé" 日本語 --naïve 'emoji 🐳'
