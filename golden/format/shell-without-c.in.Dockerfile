FROM alpine
SHELL ["sh"]
RUN echo a \
	  b
FROM alpine
SHELL ["/bin/bash", "-o", "pipefail", "-ec"]
RUN echo a \
	  b
