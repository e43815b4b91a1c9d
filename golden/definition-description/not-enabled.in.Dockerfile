ARG GO=1.23
# not a description
FROM golang AS builder
