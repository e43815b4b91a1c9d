# check=experimental=InvalidDefinitionDescription

# Go version to build with
#
ARG GO=1.23
# GO is the Go version
#
ARG GO2=1
# base image
#

FROM golang:$GO AS builder
# builder builds
#
FROM builder AS b2
    # indented comment
#
ARG X=1
