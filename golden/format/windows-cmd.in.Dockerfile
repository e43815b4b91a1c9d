FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
# cmd.exe keeps blanks in echo and set: these lines are left as they are.
RUN echo one && \
      echo two   three
RUN set "X=a" && \
  setx /M PATH "%PATH%;C:\tools"
