from alpine as build
run echo hi
OnBuild run make
healthcheck --interval=5s cmd true
FROM build AS final
copy --from=build /a /b
