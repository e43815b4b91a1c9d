FROM alpine AS py
SHELL ["python3", "-c"]
RUN ['a', 'b']
FROM alpine AS bash
SHELL ["/bin/bash", "-c"]
RUN ['a', 'b']
CMD ['app']
