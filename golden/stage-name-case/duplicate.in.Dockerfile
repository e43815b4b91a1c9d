FROM alpine AS Base
FROM alpine AS base
