FROM nginx:1.27
ENTRYPOINT ["/docker-entrypoint.sh"]
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
CMD ["nginx"]
ENTRYPOINT ["/custom-entrypoint.sh"]
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fs http://localhost/health
CMD ["nginx", "-g", "daemon off;"]
HEALTHCHECK NONE
