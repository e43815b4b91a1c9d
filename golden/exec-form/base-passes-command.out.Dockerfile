FROM node:22-alpine
CMD ["npm", "start"]
FROM php:8.3-fpm
CMD ["php-fpm", "-F"]
FROM eclipse-temurin:21-jre
CMD ["java", "-jar", "/app.jar"]
