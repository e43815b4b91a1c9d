FROM debian:12 AS base
ONBUILD SHELL ["/bin/bash", "-c"]

# the ONBUILD SHELL of stage base runs first here
FROM base
CMD python app.py

FROM base AS grandchild-parent
FROM grandchild-parent
# the trigger ran in grandchild-parent, whose image keeps that shell
CMD python app.py
