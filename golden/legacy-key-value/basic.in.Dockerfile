FROM alpine
ENV A b
ENV B two words
ENV C "quoted words" tail
ENV PATH $HOME/bin:$PATH
ENV D x=y
LABEL version 1.0
LABEL description "a \"quoted\" value"
ENV E \
    # continued
    one \
    two
ONBUILD ENV F g h
ENV G=already H=fine
ENV I  $A  $B
