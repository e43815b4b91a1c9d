

  # An indented comment keeps its indentation: BuildKit reads it as "# An...".   
FROM alpine



    # Indented, with trailing blanks, which go.   	
RUN echo one \
# at column zero inside the continuation
    && echo two \
		# tabbed inside the continuation
    && echo three
# A comment ending in the escape character does not continue. \
RUN echo four
#
#no space after the hash
RUN echo five \
    && echo six \
# comments after a trailing escape, at the end of the file
	# still inside the instruction


