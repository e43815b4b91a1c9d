FROM alpine
# cmdfix ignore=exec-form
CMD python a.py
# hadolint ignore=DL3025
CMD python b.py
# check=skip=JSONArgsRecommended
CMD python c.py
# cmdfix ignore=json-array
CMD python d.py
