FROM alpine
CMD ["C:\path", 'x']
CMD ['a\'b']
CMD ['C:\\dir']
CMD ["C:\\dir", 'x']
CMD ["a\nb", 'x']
