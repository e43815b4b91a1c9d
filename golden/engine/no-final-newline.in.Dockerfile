FROM alpine
  run   echo REPLACE	
RUN REMOVE