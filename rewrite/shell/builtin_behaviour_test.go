package shell

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// dockerPath is the PATH Docker gives a container whose image sets none.
const dockerPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// platform is one kind of container: the /bin/sh that runs shell form and
// the PATH where exec form looks up its program.
type platform struct {
	name  string
	shell string // the shell binary; run with argv[0] "/bin/sh" as Docker does
	path  string // PATH for both forms
}

// outcome is what a container run shows: exit status and both streams.
type outcome struct {
	code           int
	stdout, stderr string
}

func (o outcome) String() string {
	return fmt.Sprintf("exit %d, stdout %q, stderr %q", o.code, o.stdout, o.stderr)
}

// platforms finds the shells of this machine: dash with Docker's PATH
// (Debian, Ubuntu) and with only the programs of Essential packages (a
// Debian base image), bash as sh with Docker's PATH (Fedora, RHEL), and
// busybox sh with a folder of applet links as PATH (Alpine). Each missing
// one is left out and shown as a skipped subtest saying what to install;
// complete is false then.
func platforms(t *testing.T, root string) (ps []platform, complete bool) {
	t.Helper()
	type absent struct{ name, why string }
	var missing []absent
	if p, err := exec.LookPath("dash"); err == nil {
		ps = append(ps, platform{"debian (dash, Docker's PATH)", p, dockerPath})
	} else {
		missing = append(missing, absent{"dash", "dash not found: the Debian platforms are not checked (apt-get install dash)"})
	}
	if dir, why := essentialPrograms(root); dir != "" {
		if p, err := exec.LookPath("dash"); err == nil {
			ps = append(ps, platform{"debian base (dash, only programs of Essential packages)", p, dir})
		}
	} else {
		missing = append(missing, absent{"debian-base", "the Debian base-image platform is not checked: " + why})
	}
	if p, err := exec.LookPath("bash"); err == nil {
		ps = append(ps, platform{"fedora-like (bash as sh, Docker's PATH)", p, dockerPath})
	} else {
		missing = append(missing, absent{"bash", "bash not found: bash as sh is not checked (apt-get install bash)"})
	}
	if p, err := exec.LookPath("busybox"); err == nil {
		dir := filepath.Join(root, "applets")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(p, "--list").Output()
		if err != nil {
			t.Fatalf("busybox --list: %v", err)
		}
		for _, a := range strings.Fields(string(out)) {
			if err := os.Symlink(p, filepath.Join(dir, a)); err != nil {
				t.Fatal(err)
			}
		}
		ps = append(ps, platform{"alpine (busybox sh, busybox applets as PATH)", p, dir})
	} else {
		missing = append(missing, absent{"busybox", "busybox not found: the Alpine platform (busybox sh, applets) is not checked (apt-get install busybox)"})
	}
	for _, m := range missing {
		t.Run("missing-"+m.name, func(t *testing.T) { t.Skip(m.why) })
	}
	if len(ps) == 0 {
		t.Skip("none of dash, bash and busybox is installed")
	}
	return ps, len(missing) == 0
}

// essentialPrograms makes a folder of links to the programs of this
// machine's Essential Debian packages, the programs every Debian image has:
// an emulation of a base image, where procps (kill) is not installed.
func essentialPrograms(root string) (dir, why string) {
	out, err := exec.Command("dpkg-query", "-W", "-f", "${Package}\t${Essential}\n").Output()
	if err != nil {
		return "", fmt.Sprintf("dpkg-query: %v", err)
	}
	dir = filepath.Join(root, "essential")
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", err.Error()
	}
	for _, line := range strings.Split(string(out), "\n") {
		pkg, ess, _ := strings.Cut(line, "\t")
		if ess != "yes" {
			continue
		}
		files, err := exec.Command("dpkg", "-L", pkg).Output()
		if err != nil {
			return "", fmt.Sprintf("dpkg -L %s: %v", pkg, err)
		}
		for _, f := range strings.Split(string(files), "\n") {
			switch filepath.Dir(f) {
			case "/bin", "/sbin", "/usr/bin", "/usr/sbin":
			default:
				continue
			}
			if lookPath(filepath.Base(f), dockerPath) == "" {
				continue
			}
			// The first of Docker's PATH wins, as in the image.
			os.Symlink(lookPath(filepath.Base(f), dockerPath), filepath.Join(dir, filepath.Base(f)))
		}
	}
	return dir, ""
}

// runner runs both forms as a container would: in an empty folder, with
// only PATH, HOSTNAME and HOME in the environment, standard input from
// /dev/null, and as user nobody (65534) when the test runs as root.
type runner struct {
	dir  string
	cred *syscall.Credential
}

func newRunner(t *testing.T) (*runner, string) {
	t.Helper()
	root, err := os.MkdirTemp("", "cmdfix-builtins-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	// MkdirTemp makes 0700 folders; nobody must reach the work folder.
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "work")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r := &runner{dir: dir}
	if os.Getuid() == 0 {
		r.cred = &syscall.Credential{Uid: 65534, Gid: 65534}
	} else {
		t.Logf("not root: both forms run as uid %d, not as nobody", os.Getuid())
	}
	return r, root
}

func (r *runner) env(p platform) []string {
	return []string{"PATH=" + p.path, "HOSTNAME=cmdfix-test", "HOME=/"}
}

func (r *runner) run(t *testing.T, path string, argv []string, p platform) outcome {
	t.Helper()
	// A guard against a command that waits for ever; no result depends on it.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path)
	cmd.Args = argv
	cmd.Dir = r.dir
	cmd.Env = r.env(p)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: r.cred}
	err := cmd.Run()
	o := outcome{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		o.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			o.code = 128 + int(ws.Signal())
		}
	default:
		t.Fatalf("running %q: %v", argv, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("%q did not finish", argv)
	}
	return o
}

// shellForm runs `/bin/sh -c text` with the platform's shell.
func (r *runner) shellForm(t *testing.T, text string, p platform) outcome {
	return r.run(t, p.shell, []string{"/bin/sh", "-c", text}, p)
}

// execForm runs argv as Docker runs exec form: argv[0] looked up in the
// platform's PATH (a name with a slash is used as it is), then execve. A
// program that is not found is the container failing to start; it is shown
// as Docker's exit status 127 with its message.
func (r *runner) execForm(t *testing.T, argv []string, p platform) outcome {
	prog := lookPath(argv[0], p.path)
	if prog == "" {
		return outcome{code: 127, stderr: fmt.Sprintf("exec: %q: executable file not found in $PATH", argv[0])}
	}
	return r.run(t, prog, argv, p)
}

func lookPath(name, path string) string {
	if strings.Contains(name, "/") {
		return name
	}
	for _, d := range filepath.SplitList(path) {
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// quoteWordForSh quotes a word for sh: bare when it holds only safe characters,
// otherwise in single quotes.
func quoteWordForSh(w string) string {
	if w != "" && strings.Trim(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+%@") == "" {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

func quoteForSh(argv []string) string {
	q := make([]string, len(argv))
	for i, w := range argv {
		q[i] = quoteWordForSh(w)
	}
	return strings.Join(q, " ")
}

// builtinSamples are argv for every builtin in the table: some that the
// table calls equivalent and some it does not.
var builtinSamples = [][]string{
	// Special builtins.
	{"."}, {".", "/dev/null"}, {":"}, {":", "x"}, {"break"}, {"continue"}, {"eval", "true"},
	{"exec", "true"}, {"exit"}, {"exit", "3"}, {"export", "A=1"}, {"export"}, {"readonly", "A=1"},
	{"return"}, {"set"}, {"set", "-e"}, {"shift"}, {"times"}, {"trap"}, {"trap", "", "TERM"}, {"unset", "A"},
	// Regular builtins with no program.
	{"alias"}, {"alias", "a=b"}, {"bg"}, {"cd"}, {"cd", "/"}, {"command", "true"}, {"command", "-v", "ls"},
	{"fg"}, {"getopts", "a", "x"}, {"hash"}, {"jobs"}, {"local", "a=1"}, {"read", "x"}, {"type", "ls"},
	{"ulimit", "-n"}, {"ulimit", "-n", "1024"}, {"umask"}, {"umask", "022"}, {"unalias", "-a"}, {"wait"},
	{"chdir", "/"}, {"help"}, {"history"}, {"let", "x=1"}, {"source", "/dev/null"},
	{"bind"}, {"builtin", "true"}, {"caller"}, {"compgen", "-b"}, {"complete"}, {"compopt"},
	{"declare", "-p", "PATH"}, {"dirs"}, {"disown"}, {"enable"}, {"fc", "-l"}, {"logout"},
	{"mapfile", "x"}, {"popd"}, {"pushd", "/"}, {"readarray", "x"}, {"shopt"}, {"suspend"}, {"typeset", "x"},
	// Builtins with programs.
	{"kill", "-l"}, {"kill", "-l", "9"}, {"kill"}, {"kill", "-0", "1"},
	{"echo"}, {"echo", "hello", "world"}, {"echo", "a", "-n"}, {"echo", "-n", "x"}, {"echo", "-e", "x"},
	{"echo", `a\tb`}, {"echo", `a\c`}, {"echo", "--help"}, {"echo", "--", "x"},
	{"echo", "-n", "-n", "x"}, {"echo", "-nn", "x"}, {"echo", "-E", "x"}, {"echo", "-x"}, {"echo", "-n", "-e", "x"},
	{"echo", "-"}, {"echo", "--version"}, {"echo", "x", `\n`},
	{"printf", "%s\n", "x"}, {"printf", "hello"}, {"printf", "%s-%s|", "a", "b", "c"}, {"printf", `a\tb\n`},
	{"printf", "%q\n", "a b"}, {"printf", `\u00e9\n`}, {"printf", `\x41\n`}, {"printf", "%d\n", "x"},
	{"printf", "%d\n", "12"}, {"printf", "%5.2f\n", "3.14159"}, {"printf", "%b\n", `a\tb`}, {"printf", "hi\n", "extra"},
	{"printf"}, {"printf", "--help"}, {"printf", "-v", "x", "y"}, {"printf", "%%\n"}, {"printf", `\e[0m`},
	{"true"}, {"true", "x"}, {"true", "--help"}, {"true", "--version"}, {"false"}, {"false", "x"}, {"false", "--help"},
	{"pwd"}, {"pwd", "-P"}, {"pwd", "-L"}, {"pwd", "--help"},
	{"test"}, {"test", "x"}, {"test", ""}, {"test", "-n", "x"}, {"test", "-z", ""}, {"test", "-f", "/etc/passwd"},
	{"test", "-d", "/"}, {"test", "-e", "/nonexistent"}, {"test", "-x", "/bin/sh"}, {"test", "-w", "/"},
	{"test", "a", "=", "a"}, {"test", "a", "!=", "b"}, {"test", "1", "-lt", "2"}, {"test", "10", "-eq", "010"},
	{"test", "-5", "-lt", "3"}, {"test", "!", "x"}, {"test", "!", "-f", "/nonexistent"},
	{"test", "a", "==", "a"}, {"test", "x", "-eq", "1"}, {"test", "a", "-a", "b"}, {"test", "(", "x", ")"},
	{"test", "1", "-lt", "2", "-a", "3", "-gt", "4"}, {"test", "-v", "PATH"}, {"test", "a", "<", "b"},
	{"test", "--help"}, {"test", "a", "-o", ""}, {"test", "-t", "0"}, {"test", "-u", "/"}, {"test", "x", "-nt", "y"}, {"test", "-n"}, {"test", "-l", "x"},
	{"[", "]"}, {"[", "x", "]"}, {"[", "-f", "/etc/passwd", "]"}, {"[", "a", "=", "b", "]"}, {"[", "x"},
	{"[", "--help", "]"}, {"[", "--help"}, {"[", "--version", "]"}, {"[", "x,", "]"}, {"[", "1", "-gt", "0", "]"},
	{"[[", "-f", "/etc/passwd", "]]"}, {"[[", "x", "]]"},
	// Reserved words.
	{"time", "true"}, {"!", "true"}, {"if"},
	// Not builtins at all: the same program both ways.
	{"ls", "/"}, {"id", "-u"}, {"/bin/echo", `a\tb`}, {"sleep", "0"},
}

// conservative are samples that ExecEquivalent refuses although the two
// forms were measured the same here, with why the table stays cautious.
var conservative = map[string]string{
	`["printf" "%d\n" "12"]`:                    "numeric conversions: the error messages for bad numbers differ, so only %s is accepted",
	`["printf" "%5.2f\n" "3.14159"]`:            "numeric conversions: the error messages for bad numbers differ, so only %s is accepted",
	`["printf" "%b\n" "a\\tb"]`:                 "%b: dash's builtin lacks escapes that the programs read (\\u, \\x)",
	`["printf" "\\e[0m"]`:                       "escapes other than \\n, \\t and \\\\: dash's builtin lacks \\u and \\x",
	`["test" "1" "-lt" "2" "-a" "3" "-gt" "4"]`: "four or more operands: the builtins and the programs parse them by different rules",
}

func sampleKey(argv []string) string { return fmt.Sprintf("%q", argv) }

// pseudoJSON are shell-form texts that look like a JSON array but are not
// one, so Docker runs them with /bin/sh -c (issue 14, item 6). exec is the
// argv a naive "repair" would give; same says whether running it is the
// same as the shell form.
var pseudoJSON = []struct {
	text string
	exec []string
	same bool
}{
	// `[ 'x', ]` is the test builtin with operands "x," and "]": true.
	{`[ 'x', ]`, []string{"x"}, false},
	// The words as sh splits them: the same as the shell form.
	{`[ 'x', ]`, []string{"[", "x,", "]"}, true},
	{`[ 'a', 'b' ]`, []string{"a", "b"}, false},
	{`[ "a", "b" ]`, []string{"[", "a,", "b", "]"}, false},
	{`[ "", ]`, []string{""}, false},
	{`[ "id" ]`, []string{"id"}, false},
}

// TestBuiltinBehaviour runs every sample in shell form and exec form on
// every platform found, and checks the table's verdict against what was
// measured: an argv ExecEquivalent accepts must give the same exit status,
// output and error output on every platform, and one it refuses must differ
// on at least one, so that a wrong row fails here.
func TestBuiltinBehaviour(t *testing.T) {
	r, root := newRunner(t)
	ps, complete := platforms(t, root)

	covered := map[string]bool{}
	for _, argv := range builtinSamples {
		covered[argv[0]] = true
		text := quoteForSh(argv)
		ok, reason := ExecEquivalent(argv)
		var diffs []string
		for _, p := range ps {
			sh := r.shellForm(t, text, p)
			ex := r.execForm(t, argv, p)
			if sh != ex {
				diffs = append(diffs, fmt.Sprintf("%s:\n\tshell form: %v\n\texec form:  %v", p.name, sh, ex))
			}
		}
		switch {
		case ok && len(diffs) > 0:
			t.Errorf("ExecEquivalent(%q) = true, but the forms differ:\n%s", argv, strings.Join(diffs, "\n"))
		case !ok && len(diffs) == 0 && conservative[sampleKey(argv)] != "":
			t.Logf("%q: refused (%s), measured the same; kept refused: %s", argv, reason, conservative[sampleKey(argv)])
		case ok && conservative[sampleKey(argv)] != "":
			t.Errorf("%s is marked conservative but ExecEquivalent accepts it", text)
		case !ok && len(diffs) == 0 && !complete:
			t.Logf("ExecEquivalent(%q) = false (%s); no difference on the platforms present, not all are", argv, reason)
		case !ok && len(diffs) == 0:
			t.Errorf("ExecEquivalent(%q) = false (%s), but the forms behave the same on every platform", argv, reason)
		case testing.Verbose():
			t.Logf("%q: equivalent=%v %s\n%s", argv, ok, reason, strings.Join(diffs, "\n"))
		}
	}
	for _, b := range Builtins() {
		if !covered[b.Name] {
			t.Errorf("builtin %q has no sample in builtinSamples", b.Name)
		}
	}
}

// TestBuiltinPseudoJSON checks issue 14 item 6: `CMD [ 'x', ]` is the
// shell's [ command, which succeeds, and "repairing" it into a JSON array
// runs something else.
func TestBuiltinPseudoJSON(t *testing.T) {
	r, root := newRunner(t)
	ps, _ := platforms(t, root)
	for _, c := range pseudoJSON {
		ok, _ := ExecEquivalent(c.exec)
		var diffs []string
		for _, p := range ps {
			sh := r.shellForm(t, c.text, p)
			ex := r.execForm(t, c.exec, p)
			if sh != ex {
				diffs = append(diffs, fmt.Sprintf("%s:\n\tshell form: %v\n\texec form:  %v", p.name, sh, ex))
			}
		}
		reason := BracketTestReason(c.text)
		if reason == "" {
			t.Errorf("BracketTestReason(%s) = \"\", but sh runs it as the test command", c.text)
		}
		for _, p := range ps {
			code := r.shellForm(t, c.text, p).code
			if strings.Contains(reason, "exits 0") && code != 0 || strings.Contains(reason, "exits 1") && code != 1 {
				t.Errorf("%s: %s; but under %s it exits %d", c.text, reason, p.name, code)
			}
		}
		if same := len(diffs) == 0; same != c.same {
			t.Errorf("%s as exec form %q: same=%v, want %v\n%s", c.text, c.exec, same, c.same, strings.Join(diffs, "\n"))
		}
		if c.same && !ok {
			t.Errorf("ExecEquivalent(%q) = false, but it behaves like %s", c.exec, c.text)
		}
		if testing.Verbose() {
			t.Logf("%s vs %q:\n%s", c.text, c.exec, strings.Join(diffs, "\n"))
		}
	}
}

// TestBuiltinEnvironment records what every conversion changes besides
// builtins: the shell exports PWD (dash, bash, busybox) and SHLVL (bash,
// busybox) to the program it starts, and bash also `_`; exec form gives the
// program only the container's environment.
func TestBuiltinEnvironment(t *testing.T) {
	r, root := newRunner(t)
	ps, _ := platforms(t, root)
	for _, p := range ps {
		sh := r.shellForm(t, "env", p)
		ex := r.execForm(t, []string{"env"}, p)
		names := func(o outcome) map[string]bool {
			m := map[string]bool{}
			for _, l := range strings.Split(strings.TrimSpace(o.stdout), "\n") {
				k, _, _ := strings.Cut(l, "=")
				m[k] = true
			}
			return m
		}
		shNames, exNames := names(sh), names(ex)
		if len(exNames) != 3 || !exNames["PATH"] || !exNames["HOSTNAME"] || !exNames["HOME"] {
			t.Errorf("%s: exec form's environment is %q, want PATH, HOSTNAME and HOME only", p.name, ex.stdout)
		}
		if !shNames["PWD"] {
			t.Errorf("%s: shell form's program has no PWD: %q", p.name, sh.stdout)
		}
		var extra []string
		for k := range shNames {
			if !exNames[k] {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		t.Logf("%s: shell form adds %q", p.name, extra)
	}
}
