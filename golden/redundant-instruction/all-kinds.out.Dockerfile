FROM nginx:1.27
ENTRYPOINT ["/custom-entrypoint.sh"]
CMD ["nginx", "-g", "daemon off;"]
HEALTHCHECK NONE
