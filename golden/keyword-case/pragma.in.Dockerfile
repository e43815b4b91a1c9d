FROM alpine
# check=skip=ConsistentInstructionCasing
run echo kept
# hadolint ignore=DL3000
run echo not-silenced
