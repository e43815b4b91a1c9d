# escape=`
from mcr.microsoft.com/windows/nanoserver:ltsc2022
run echo a `
  b
