FROM alpine
CMD nginx -g 'daemon off;'
CMD nginx -g "daemon off;"
CMD java -jar app.jar --opt="a b" 'x y'
CMD app "a\"b" 'c\d' "e\\f" "g\h"
CMD app \*.txt "*.log" '[abc]' "{a,b}"
CMD app 'it''s' "it's" ""
CMD app a\ b '$HOME' "~" '~/x'
CMD app "<tag> & stuff"
CMD "my program" --x
