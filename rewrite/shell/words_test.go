package shell

import (
	"slices"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// shellWordCases are command lines and what ShellWords makes of them: the
// words, or a fragment of the reason. The accepted ones are also run under
// the real shells by TestShellWordsMatchRealShells.
var shellWordCases = []struct {
	in      string
	words   []string
	comment string
	reason  string
}{
	{in: "python app.py", words: []string{"python", "app.py"}},
	{in: "exec nginx -g 'daemon off;'", words: []string{"exec", "nginx", "-g", "daemon off;"}},
	{in: `nginx -g "daemon off;"`, words: []string{"nginx", "-g", "daemon off;"}},
	{in: `java -jar app.jar --opt="a b"`, words: []string{"java", "-jar", "app.jar", "--opt=a b"}},
	{in: `echo '$HOME'`, words: []string{"echo", "$HOME"}},
	{in: `app "*.txt"`, words: []string{"app", "*.txt"}},
	{in: `app \*.txt`, words: []string{"app", "*.txt"}},
	{in: `echo "{a,b}"`, words: []string{"echo", "{a,b}"}},
	{in: `"quoted cmd" arg`, words: []string{"quoted cmd", "arg"}},
	{in: `app "ünïcødé" 日本語 --naïve`, words: []string{"app", "ünïcødé", "日本語", "--naïve"}},
	{in: `app "a\"b" 'c\d' "e\\f" "g\h"`, words: []string{"app", `a"b`, `c\d`, `e\f`, `g\h`}},
	{in: "app \\\n  --flag", words: []string{"app", "--flag"}},
	{in: `app 'it''s'`, words: []string{"app", "its"}},
	{in: `app "it's"`, words: []string{"app", "it's"}},
	{in: `app ""`, words: []string{"app", ""}},
	{in: `app a\ b`, words: []string{"app", "a b"}},
	{in: "npm start -- --port=8080", words: []string{"npm", "start", "--", "--port=8080"}},
	{in: "app x=y", words: []string{"app", "x=y"}},
	{in: "app a~b", words: []string{"app", "a~b"}},
	{in: "gunicorn -b 0.0.0.0:8000 app:app", words: []string{"gunicorn", "-b", "0.0.0.0:8000", "app:app"}},
	{in: "app\ta\t b", words: []string{"app", "a", "b"}},
	{in: "app a#b", words: []string{"app", "a#b"}},
	{in: "app !x", words: []string{"app", "!x"}},
	{in: "app '~' \"~/x\"", words: []string{"app", "~", "~/x"}},
	{in: "app ] x]", words: []string{"app", "]", "x]"}},
	{in: "app # start it", words: []string{"app"}, comment: "# start it"},
	{in: "app #", words: []string{"app"}, comment: "#"},
	{in: "app 'a\nb'", words: []string{"app", "a\nb"}},
	{in: "app if then", words: []string{"app", "if", "then"}},
	{in: "if=1 then", reason: "`if=1` sets a shell variable"},
	{in: `"FOO=1" app`, words: []string{"FOO=1", "app"}},

	{in: "echo $HOME", reason: "`$HOME` needs the shell to expand it"},
	{in: `echo "$HOME"`, reason: "`$HOME` needs the shell"},
	{in: "app --arg=$X", reason: "`$X` needs the shell"},
	{in: "app ${X:-d}", reason: "`${X:-d}` needs the shell"},
	{in: `app "$@"`, reason: "`$@` needs the shell"},
	{in: "app $((1+2))", reason: "`$((1+2))` is arithmetic"},
	{in: "app $(date)", reason: "`$(date)` runs a command"},
	{in: "app `date`", reason: "runs a command"},
	{in: "app $", reason: "`$` in `$` needs the shell"},
	{in: `app "a$"`, reason: "`$` in `\"a$\"`"},
	{in: "a && b", reason: "`&&` joins two commands"},
	{in: "a || b", reason: "`||` runs a second command"},
	{in: "a | b", reason: "`|` pipes"},
	{in: "a > f", reason: "`> f` is a redirection"},
	{in: "app 2>&1", reason: "`2>&1` is a redirection"},
	{in: "app <<EOF\nx\nEOF", reason: "is a redirection"},
	{in: "app &", reason: "`&` runs the command in the background"},
	{in: "app;", reason: "`;` ends the command list"},
	{in: "set -e; x", reason: "`;` separates two commands"},
	{in: "a\nb", reason: "a line break separates two commands"},
	{in: "a & b", reason: "`&` runs a command in the background"},
	{in: "FOO=1 app", reason: "`FOO=1` sets a shell variable"},
	{in: "FOO=1", reason: "`FOO=1` sets a shell variable"},
	{in: "~/bin/app", reason: "`~/bin/app` starts with `~`"},
	{in: "app ~", reason: "starts with `~`"},
	{in: "app ~user/x", reason: "starts with `~`"},
	{in: "app --prefix=~/x", reason: "`~` after `=`"},
	{in: "app PATH=a:~/b", reason: "`~` after `:`"},
	{in: "app *.txt", reason: "unquoted `*` in `*.txt` is a glob pattern"},
	{in: "app ?", reason: "unquoted `?`"},
	{in: "app [abc]", reason: "unquoted `[`"},
	{in: "echo {a,b}", reason: "unquoted `{` in `{a,b}` can be brace expansion"},
	{in: "echo {1..3}", reason: "brace expansion"},
	{in: "find . -exec ls {} +", reason: "unquoted `{`"},
	{in: "if true; then x; fi", reason: "`if` is shell syntax"},
	{in: "while true; do x; done", reason: "`while` is shell syntax"},
	{in: "for a in b; do x; done", reason: "`for` is shell syntax"},
	{in: "case a in b) x;; esac", reason: "`case` is shell syntax"},
	{in: "{ app; }", reason: "`{ ... }` is shell syntax"},
	{in: "(app)", reason: "`( ... )` is shell syntax"},
	{in: "f() { x; }", reason: "`f()` is shell syntax"},
	{in: "! app", reason: "`!` negates"},
	{in: "time app", reason: "`time` is a shell keyword"},
	{in: "[[ -f x ]]", reason: "`[[` is a shell keyword"},
	{in: "coproc app", reason: "`coproc` is a shell keyword"},
	{in: "function f { x; }", reason: "cannot parse"},
	{in: "then x", reason: "cannot parse"},
	{in: "select", reason: "`select` is a shell keyword"},
	{in: "in x", reason: "`in` is a shell keyword"},
	{in: "{ x", reason: "cannot parse"},
	{in: "app $'a\\nb'", reason: "`$'…'`"},
	{in: `app $"x"`, reason: "`$\"…\"`"},
	{in: "app @(a|b)", reason: "cannot parse"},
	{in: "app <(ls)", reason: "cannot parse"},
	{in: "", reason: "there is no command"},
	{in: "   ", reason: "there is no command"},
	{in: "# just a comment", reason: "only a comment"},
	{in: `app "a b`, reason: "cannot parse"},
	{in: "app 'unterminated", reason: "cannot parse"},
	{in: `app \`, reason: "ends in a lone `\\`"},
	{in: "app # c\nb", reason: "a line break separates"},
	{in: "app\n# c", reason: "a comment follows on another line"},
	{in: "app \xff", reason: "not valid UTF-8"},
	{in: "app \x00", reason: "NUL"},
	// Found by FuzzShellWords: mvdan.cc/sh reads a carriage return as a
	// blank, dash as part of a word.
	{in: "python\rapp.py", reason: "control character"},
	{in: "a \r b", reason: "control character"},
	{in: "a\vb", reason: "control character"},
	// Found by FuzzShellWords: a function definition with no name.
	{in: "()0", reason: "`()` is shell syntax"},
}

func TestShellWords(t *testing.T) {
	for _, c := range shellWordCases {
		sc, err := Words(c.in)
		reason := reasonOf(err)
		if c.reason != "" {
			if reason == "" {
				t.Errorf("ShellWords(%q) = %q, want a rejection containing %q", c.in, sc.Words, c.reason)
			} else if !strings.Contains(reason, c.reason) {
				t.Errorf("ShellWords(%q) reason %q, want it to contain %q", c.in, reason, c.reason)
			}
			continue
		}
		if reason != "" || !slices.Equal(sc.Words, c.words) || sc.Comment != c.comment {
			t.Errorf("ShellWords(%q) = %q, comment %q, reason %q; want %q, comment %q", c.in, sc.Words, sc.Comment, reason, c.words, c.comment)
		}
	}
}

// TestShellWordsMatchExpand checks the property the fuzz target relies on:
// accepted words equal what mvdan.cc/sh/v3/expand yields in an empty
// environment, and every rejection has a reason.
func TestShellWordsMatchExpand(t *testing.T) {
	for _, c := range shellWordCases {
		checkAgainstExpand(t, c.in)
	}
}

func checkAgainstExpand(t *testing.T, in string) {
	t.Helper()
	sc, err := Words(in)
	reason := reasonOf(err)
	if reason != "" {
		if len(sc.Words) != 0 {
			t.Errorf("ShellWords(%q): rejected (%s) but returned words %q", in, reason, sc.Words)
		}
		return
	}
	if len(sc.Words) == 0 {
		t.Errorf("ShellWords(%q): accepted with no words and no reason", in)
		return
	}
	f, err := Parse(in, syntax.LangPOSIX)
	if err != nil {
		t.Fatalf("ShellWords(%q) accepted what the parser rejects: %v", in, err)
	}
	call := f.Stmts[0].Cmd.(*syntax.CallExpr)
	got, err := expand.Fields(&expand.Config{Env: expand.ListEnviron()}, call.Args...)
	if err != nil || !slices.Equal(got, sc.Words) {
		t.Errorf("ShellWords(%q) = %q, expand.Fields = %q (%v)", in, sc.Words, got, err)
	}
}

func TestExecArgv(t *testing.T) {
	for _, c := range []struct {
		in     string
		argv   []string
		reason string
	}{
		{in: "exec nginx -g 'daemon off;'", argv: []string{"nginx", "-g", "daemon off;"}},
		{in: "echo hello world", argv: []string{"echo", "hello", "world"}},
		{in: `printf '%s\n' x`, argv: []string{"printf", `%s\n`, "x"}},
		{in: "python app.py # run", argv: []string{"python", "app.py"}},
		{in: "echo a -n", argv: []string{"echo", "a", "-n"}},
		{in: "/bin/echo 'a\\nb'", argv: []string{"/bin/echo", `a\nb`}},
		{in: "exec", reason: "`exec` without a program"},
		{in: "exec -a name app", reason: "`exec -a` passes an option"},
		{in: "exec -- app", reason: "`exec --` passes an option"},
		{in: "exec exec app", reason: "`exec` is a shell builtin"},
		{in: "cd /app", reason: "`cd` is a shell builtin (dash, busybox ash, bash): there is no `cd` program"},
		{in: "source env.sh", reason: "`source` is a shell builtin"},
		{in: ". env.sh", reason: "`.` is a shell builtin"},
		{in: "export A=1", reason: "`export` is a shell builtin"},
		{in: "ulimit -n 1024", reason: "`ulimit` is a shell builtin"},
		{in: ": noop", reason: "`:` is a shell builtin"},
		{in: "exec cd /", reason: "`cd` is a shell builtin"},
		{in: "echo 'a\\nb'", reason: "`echo` with a backslash"},
		{in: `echo C:\\dir`, reason: "`echo` with a backslash"},
		{in: "echo -n x", argv: []string{"echo", "-n", "x"}}, // every echo honours -n (measured)
		{in: "echo -e x", reason: "`echo -e` is an option"},
		{in: "'' x", reason: "the program name is empty"},
		{in: "-x y", reason: "the program name `-x` starts with `-`"},
		{in: "app $X", reason: "`$X` needs the shell"},
	} {
		argv, _, err := ExecArgv(c.in)
		reason := reasonOf(err)
		if c.reason != "" {
			if !strings.Contains(reason, c.reason) {
				t.Errorf("ExecArgv(%q) = %q, reason %q; want reason containing %q", c.in, argv, reason, c.reason)
			}
			continue
		}
		if reason != "" || !slices.Equal(argv, c.argv) {
			t.Errorf("ExecArgv(%q) = %q, reason %q; want %q", c.in, argv, reason, c.argv)
		}
	}
}

func TestExecLast(t *testing.T) {
	for _, c := range []struct {
		in, out, prog, reason string
	}{
		{in: "python -m http.server $PORT", out: "exec python -m http.server $PORT", prog: "python"},
		{in: "cd /app && python x.py", out: "cd /app && exec python x.py", prog: "python"},
		{in: "a && b && c --x=$Y", out: "a && b && exec c --x=$Y", prog: "c"},
		{in: "set -e; cd /app; ./run.sh", out: "set -e; cd /app; exec ./run.sh", prog: "./run.sh"},
		{in: "a; b && c;", out: "a; b && exec c;", prog: "c"},
		{in: "app > /log 2>&1", out: "exec app > /log 2>&1", prog: "app"},
		{in: "exec gunicorn --bind :$PORT app", out: "exec gunicorn --bind :$PORT app", prog: "gunicorn"},
		{in: "a | b", reason: "`|` pipes"},
		{in: "a || b", reason: "`||`"},
		{in: "a && b || c", reason: "`||`"},
		{in: "a & b", reason: "`&` runs a command in the background"},
		{in: "(cd /x && app)", reason: "`( ... )` is shell syntax"},
		{in: "{ a; b; }", reason: "`{ ... }` is shell syntax"},
		{in: "if a; then b; fi", reason: "`if` is shell syntax"},
		{in: "app && cd /x", reason: "`cd` is a shell builtin"},
		{in: "app; echo done $X", reason: "`echo` is a shell builtin"},
		{in: "trap 'x' TERM; app", reason: "`trap`"},
		{in: "alias a=b; a", reason: "`alias`"},
		{in: "a && FOO=1 app", reason: "the last command sets `FOO=1`"},
		{in: "a && $CMD x", reason: "`$CMD` is not a literal word"},
		{in: "! app $X", reason: "`!` negates"},
		{in: "[[ -f x ]] && app $X", reason: "`[[ ... ]]` is shell syntax"},
		{in: "time app $X", reason: "`time` is shell syntax"},
		{in: "app; exec", reason: "`exec` without a literal program"},
	} {
		out, prog, err := ExecLast(c.in)
		reason := reasonOf(err)
		if c.reason != "" {
			if !strings.Contains(reason, c.reason) {
				t.Errorf("ExecLast(%q) = %q, reason %q; want reason containing %q", c.in, out, reason, c.reason)
			}
			continue
		}
		if reason != "" || out != c.out || prog != c.prog {
			t.Errorf("ExecLast(%q) = %q, %q, reason %q; want %q, %q", c.in, out, prog, reason, c.out, c.prog)
		}
	}
}

// reasonOf is the message of a rejection, or "".
func reasonOf(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
