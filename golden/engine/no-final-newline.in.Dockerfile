FROM alpine
  run   echo REPLACE	
CMD REMOVE