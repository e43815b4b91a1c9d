package safety

import (
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
)

// TestVerifyFormat checks the safety net's reading of formatting changes:
// blanks in shell text may change only where a POSIX shell runs it, and
// comments may not move, nor change as BuildKit reads them.
func TestVerifyFormat(t *testing.T) {
	for _, c := range []struct{ name, before, after, err string }{
		{"posix blanks", "FROM a\nRUN echo a \\\n  b\n", "FROM a\nRUN echo a \\\n    b\n", ""},
		{"posix blanks in quotes", "FROM a\nRUN echo 'a \\\n  b'\n", "FROM a\nRUN echo 'a \\\n    b'\n", "at line 2 became RUN echo 'a     b'"},
		{"cmd.exe blanks", "FROM mcr.microsoft.com/windows/nanoserver\nRUN echo a \\\n  b\n", "FROM mcr.microsoft.com/windows/nanoserver\nRUN echo a \\\n    b\n", "at line 2 became RUN echo a     b"},
		{"cmd.exe via ARG", "ARG B=mcr.microsoft.com/windows/servercore\nFROM $B\nRUN echo a \\\n  b\n", "ARG B=mcr.microsoft.com/windows/servercore\nFROM $B\nRUN echo a \\\n    b\n", "at line 3 became RUN echo a     b"},
		{"powershell trigger", "FROM a\nSHELL [\"pwsh\", \"-c\"]\nONBUILD RUN a \\\n  b\n", "FROM a\nSHELL [\"pwsh\", \"-c\"]\nONBUILD RUN a \\\n    b\n", "at line 3 became ONBUILD RUN a     b"},
		{"keyword case in a Windows stage", "FROM mcr.microsoft.com/windows/nanoserver\nrun echo a\n", "FROM mcr.microsoft.com/windows/nanoserver\nRUN echo a\n", ""},
		{"reordered comments", "# a\n# b\nFROM x\n", "# b\n# a\nFROM x\n", `comment "# a" at line 1 became comment "# b"`},
		{"de-indented comment", "FROM x\n  # check=skip=all\nRUN y\n", "FROM x\n# check=skip=all\nRUN y\n", `(which BuildKit reads as "# check=skip=all") at line 2 became comment "# check=skip=all"`},
		{"busybox sh", "FROM a\nSHELL [\"busybox\", \"sh\", \"-c\"]\nRUN echo a \\\n  b\n", "FROM a\nSHELL [\"busybox\", \"sh\", \"-c\"]\nRUN echo a \\\n    b\n", ""},
		{"bash without -c", "FROM a\nSHELL [\"/bin/bash\", \"-l\"]\nRUN echo a \\\n  b\n", "FROM a\nSHELL [\"/bin/bash\", \"-l\"]\nRUN echo a \\\n    b\n", "at line 3 became RUN echo a     b"},
		{"windows by name", "FROM gcr.io/p/go-windows\nRUN echo a \\\n  b\n", "FROM gcr.io/p/go-windows\nRUN echo a \\\n    b\n", "at line 2 became RUN echo a     b"},
		{"trailing blanks of comments", "FROM x\n# a  \n#  \nRUN y\n", "FROM x\n# a\n#\nRUN y\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := dockerfile.Parse("a", []byte(c.before))
			if err != nil {
				t.Fatal(err)
			}
			b, err := dockerfile.Parse("b", []byte(c.after))
			if err != nil {
				t.Fatal(err)
			}
			err = VerifyFormat(Of(a), Of(b))
			switch {
			case c.err == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Errorf("error %v, want %q", err, c.err)
			}
		})
	}
}
