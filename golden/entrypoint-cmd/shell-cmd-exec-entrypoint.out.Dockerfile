FROM alpine AS own
ENTRYPOINT ["/usr/local/bin/app", "--config", "/etc/app.yaml"]
CMD serve --port 80

FROM own AS child-cmd
CMD exec serve --port 8080

# A runner such as tini or dumb-init runs the shell as its command, which is
# what the shell form means; whether to convert it is exec-form's business.
FROM alpine AS runner
ENTRYPOINT ["/usr/bin/dumb-init", "--"]
CMD /usr/bin/server --port 80

FROM nginx:1.27 AS base-inspects-args
CMD nginx -g 'daemon off;'

# node's entrypoint runs any command it is given, so the shell form works.
FROM node:20 AS base-passes-command
CMD ["npm", "start"]

FROM alpine AS parent-cmd
CMD ["run-tests", "--all"]

FROM parent-cmd AS child-entrypoint
CMD run-tests --all
ENTRYPOINT ["/entry"]

FROM ubuntu AS with-shell
SHELL ["/bin/bash", "-c"]
ENTRYPOINT ["/entry"]
CMD run-tests --all
