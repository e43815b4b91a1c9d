# check=experimental=all

# a pragma below
# hadolint ignore=DL3006
FROM golang AS builder
