FROM node:20 AS base
ONBUILD CMD ["npm", "start"]
ONBUILD CMD ["npm", "run", "serve"]
ONBUILD ENTRYPOINT ["/entry"]
CMD ["node", "server.js"]

FROM base
CMD ["node", "child.js"]
