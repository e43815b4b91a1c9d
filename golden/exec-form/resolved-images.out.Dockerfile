# Base images resolved from their registry (resolved-images.images.json):
# a company image whose ENTRYPOINT the table does not know, one with none,
# a Windows one, and one that failed to resolve (the table answers).
ARG BASE=registry.example/team/base:1
FROM ${BASE} AS company
CMD serve --port 80

FROM registry.example/team/plain:1 AS plain
CMD ["serve", "--port", "80"]

FROM registry.example/team/win:1 AS win
CMD serve --port 80

FROM registry.example/team/gone:1 AS gone
CMD ["serve", "--port", "80"]
