FROM alpine   
RUN echo foo \   
    bar	 
# a comment  	
RUN echo a\\  
RUN echo b \	
  c		
CMD ["x"]		
