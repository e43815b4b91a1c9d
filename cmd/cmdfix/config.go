package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// configName is the settings file cmdfix looks for, walking up from each
// file's folder.
const configName = ".cmdfix.toml"

// fileConfig is a .cmdfix.toml. Every setting is optional; one that is
// absent leaves the flag's default.
type fileConfig struct {
	FailOn *string `toml:"fail-on"`
	Rules  struct {
		Select  *[]string `toml:"select"`
		Ignore  *[]string `toml:"ignore"`
		Disable *[]string `toml:"disable"` // an alias of ignore
		Unsafe  *bool     `toml:"unsafe"`
		Split   *bool     `toml:"split"`
		// ExplicitShell is --explicit-shell.
		ExplicitShell *bool `toml:"explicit-shell"`
	} `toml:"rules"`
	Format struct {
		Enabled *bool `toml:"enabled"`
		Indent  *int  `toml:"indent"`
	} `toml:"format"`
	PerFileIgnores map[string][]string `toml:"per-file-ignores"`
	Severity       map[string]string   `toml:"severity"`
	// Context is the build context folder, relative to the settings
	// file's folder; Images turns base image resolution on (see
	// outside.go).
	Context *string        `toml:"context"`
	Images  imagesSettings `toml:"images"`
	// Cache false turns the result cache off for the files this settings
	// file applies to; CacheDir names its folder (relative to the settings
	// file's).
	Cache    *bool   `toml:"cache"`
	CacheDir *string `toml:"cache-dir"`

	// What the settings above resolve to.
	dir      string // the settings file's folder, absolute
	failOn   *level
	sel      []string // nil when not set
	ignore   []string // nil when neither ignore nor disable is set
	perFile  []perFileIgnore
	severity map[string]level
}

// settingKinds says what each setting holds, for messages about values of
// the wrong type.
var settingKinds = map[string]string{
	"fail-on":              `one of "never", "error", "warning", "info"`,
	"rules":                "a table ([rules])",
	"rules.select":         `a list of rule names, such as ["exec-form", "DL3025"]`,
	"rules.ignore":         `a list of rule names, such as ["split-entrypoint"]`,
	"per-file-ignores":     `a table of globs and rule lists, such as "legacy/**" = ["exec-form"]`,
	"severity":             `a table of rule names and levels, such as exec-form = "error"`,
	"rules.disable":        `a list of rule names, such as ["split-entrypoint"]`,
	"per-file-ignores.*":   `a list of rule names, such as ["exec-form"]`,
	"severity.*":           `one of "error", "warning", "info", "off"`,
	"rules.unsafe":         "true or false",
	"rules.split":          "true or false",
	"rules.explicit-shell": "true or false",
	"format":               "a table ([format])",
	"format.enabled":       "true or false",
	"format.indent":        "a whole number of spaces from 1 to 16",
	"context":              `a folder, such as "." or "../.."`,
	"images":               "a table ([images])",
	"images.resolve":       "true or false",
	"images.platform":      `a platform, such as "linux/arm64"`,
	"images.timeout":       `a duration, such as "10s"`,
	"cache":                "true or false",
	"cache-dir":            `a folder, such as ".cache/cmdfix"`,
}

// ConfigError is a problem in a settings file, at a line (and column,
// when known) of it.
type ConfigError struct {
	Path      string
	Line, Col int
	Msg       string
}

func (e *ConfigError) Error() string {
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// loadConfig reads and checks a settings file. path is used in messages.
func loadConfig(path string) (*fileConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, pathError(path, err)
	}
	return parseConfig(path, data)
}

// parseConfig decodes a settings file strictly: unknown keys, values of
// the wrong type and values out of range are errors naming the line.
func parseConfig(path string, data []byte) (*fileConfig, error) {
	fc := &fileConfig{}
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(fc); err != nil {
		return nil, configError(path, err)
	}
	if abs, err := filepath.Abs(filepath.Dir(path)); err == nil {
		fc.dir = abs
	}
	// resolve maps one setting's names, or names the line of the first
	// unknown one.
	resolve := func(table, key string, names []string) ([]string, error) {
		for _, name := range names {
			if _, err := resolveRuleNames([]string{name}); err != nil {
				line := settingLine(data, table, key, name)
				return nil, &ConfigError{Path: path, Line: line, Msg: table + "." + key + ": " + err.Error()}
			}
		}
		out, _ := resolveRuleNames(names)
		return out, nil
	}
	if v := fc.FailOn; v != nil {
		l, err := parseLevel(*v, failLevels...)
		if err != nil {
			return nil, &ConfigError{Path: path, Line: topLevelLine(data, "fail-on"), Msg: "fail-on: " + err.Error()}
		}
		fc.failOn = &l
	}
	if v := fc.Rules.Select; v != nil {
		r, err := resolve("rules", "select", *v)
		if err != nil {
			return nil, err
		}
		fc.sel = r
	}
	for _, key := range []string{"ignore", "disable"} {
		v := fc.Rules.Ignore
		if key == "disable" {
			v = fc.Rules.Disable
		}
		if v == nil {
			continue
		}
		r, err := resolve("rules", key, *v)
		if err != nil {
			return nil, err
		}
		fc.ignore = append(append([]string{}, fc.ignore...), r...)
	}
	globs := make([]string, 0, len(fc.PerFileIgnores))
	for g := range fc.PerFileIgnores {
		globs = append(globs, g)
	}
	sort.Strings(globs)
	for _, g := range globs {
		if _, err := filepath.Match(strings.ReplaceAll(g, "**", "*"), ""); err != nil {
			return nil, &ConfigError{Path: path, Line: settingLine(data, "per-file-ignores", g, ""), Msg: fmt.Sprintf("per-file-ignores: bad glob %q: %v", g, err)}
		}
		r, err := resolve("per-file-ignores", g, fc.PerFileIgnores[g])
		if err != nil {
			return nil, err
		}
		fc.perFile = append(fc.perFile, perFileIgnore{pattern: g, rules: r})
	}
	names := make([]string, 0, len(fc.Severity))
	for n := range fc.Severity {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		line := settingLine(data, "severity", n, "")
		rules, err := resolveRuleNames([]string{n})
		if err != nil {
			return nil, &ConfigError{Path: path, Line: line, Msg: "severity: " + err.Error()}
		}
		l, err := parseLevel(fc.Severity[n], severityLevels...)
		if err != nil {
			return nil, &ConfigError{Path: path, Line: line, Msg: "severity." + n + ": " + err.Error()}
		}
		if fc.severity == nil {
			fc.severity = map[string]level{}
		}
		for _, r := range rules {
			fc.severity[r] = l
		}
	}
	if i := fc.Format.Indent; i != nil && (*i < 1 || *i > 16) {
		line := settingLine(data, "format", "indent", "")
		return nil, &ConfigError{Path: path, Line: line, Msg: fmt.Sprintf("format.indent: %d is not between 1 and 16", *i)}
	}
	return fc, nil
}

var tomlTypeMismatch = regexp.MustCompile(`^toml: cannot decode TOML (\w+)`)

// configError words a TOML decoding error for users: the file, the line,
// and what was wrong in terms of cmdfix's settings.
func configError(path string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) && len(strict.Errors) > 0 {
		e := strict.Errors[0]
		line, col := e.Position()
		key := strings.Join(e.Key(), ".")
		msg := fmt.Sprintf("unknown setting %q", key)
		switch k := e.Key(); {
		case len(k) == 1:
			msg += " (the settings are fail-on, context and the tables [rules], [format], [images], [per-file-ignores] and [severity])"
		case k[len(k)-1] == "fail-on":
			msg += " (fail-on goes at the top of the file, before any table)"
		}
		if extra := len(strict.Errors) - 1; extra > 0 {
			msg += fmt.Sprintf(" and %d more", extra)
		}
		return &ConfigError{Path: path, Line: line, Col: col, Msg: msg}
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		key := strings.Join(de.Key(), ".")
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		want, known := settingKinds[key]
		if k := de.Key(); !known && len(k) == 2 {
			// A key of a table of the user's own keys.
			want, known = settingKinds[k[0]+".*"]
		}
		switch m := tomlTypeMismatch.FindStringSubmatch(de.Error()); {
		case m != nil && known:
			msg = fmt.Sprintf("%s must be %s, not %s %s", key, want, article(m[1]), m[1])
		case known:
			msg = key + ": " + msg
		default:
			msg = "invalid TOML: " + msg
		}
		return &ConfigError{Path: path, Line: line, Col: col, Msg: msg}
	}
	return &ConfigError{Path: path, Msg: err.Error()}
}

func article(word string) string {
	if strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// topLevelLine returns the line where a key outside any table is set, or 0.
func topLevelLine(data []byte, key string) int {
	var p unstable.Parser
	p.Reset(data)
	for p.NextExpression() {
		e := p.Expression()
		if e.Kind == unstable.Table || e.Kind == unstable.ArrayTable {
			return 0
		}
		if e.Kind == unstable.KeyValue {
			it := e.Key()
			if it.Next() && string(it.Node().Data) == key {
				return p.Shape(it.Node().Raw).Start.Line
			}
		}
	}
	return 0
}

// settingLine returns the line where table.key is set in a TOML document
// (under a table header, as a dotted key, or in an inline table), or 0.
// With elem, it returns the line of that string in the key's array.
func settingLine(data []byte, table, key, elem string) int {
	var p unstable.Parser
	p.Reset(data)
	line := func(n *unstable.Node) int { return p.Shape(n.Raw).Start.Line }
	current := ""
	for p.NextExpression() {
		e := p.Expression()
		var parts []string
		var first *unstable.Node
		for it := e.Key(); it.Next(); {
			if first == nil {
				first = it.Node()
			}
			parts = append(parts, string(it.Node().Data))
		}
		switch e.Kind {
		case unstable.Table:
			current = strings.Join(parts, ".")
		case unstable.KeyValue:
			full := strings.Join(parts, ".")
			if current != "" {
				full = current + "." + full
			}
			if first == nil || (full != table+"."+key && full != table) {
				continue
			}
			if v := e.Value(); elem != "" && full != table && v.Kind == unstable.Array {
				for it := v.Children(); it.Next(); {
					if n := it.Node(); n.Kind == unstable.String && string(n.Data) == elem && n.Raw.Length > 0 {
						return line(n)
					}
				}
			}
			return line(first)
		}
	}
	return 0
}

// configs finds the settings file for each folder, walking up, and keeps
// what it found (or the error) per folder, so each file is read once. The
// cache is emptied when it reaches maxCachedDirs folders, so memory stays
// flat over any number of folders: the walk visits folders in order, so a
// settings file is read again only once per that many folders.
type configs struct {
	mu    sync.Mutex
	byDir map[string]*foundConfig
}

// maxCachedDirs bounds the settings cache (see configs).
const maxCachedDirs = 4096

type foundConfig struct {
	path string      // as displayed; empty when there is none
	cfg  *fileConfig // nil when there is none
	err  error
}

// pathFor returns the settings file in effect in dir, or "".
func (c *configs) pathFor(dir string) string {
	return c.forDir(dir).path
}

// forDir returns the settings in effect in dir (an absolute path).
func (c *configs) forDir(dir string) *foundConfig {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byDir == nil || len(c.byDir) >= maxCachedDirs {
		c.byDir = map[string]*foundConfig{}
	}
	var visited []string
	var found *foundConfig
	for d := dir; ; {
		if f, ok := c.byDir[d]; ok {
			found = f
			break
		}
		visited = append(visited, d)
		path := filepath.Join(d, configName)
		info, err := os.Stat(path)
		if err == nil && info.IsDir() {
			err = fmt.Errorf("%s: is a folder, not a settings file", displayPath(path))
			found = &foundConfig{err: err}
			break
		}
		if err == nil {
			shown := displayPath(path)
			cfg, err := loadConfig(shown)
			found = &foundConfig{path: shown, cfg: cfg, err: err}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			found = &foundConfig{err: pathError(displayPath(path), err)}
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			found = &foundConfig{}
			break
		}
		d = parent
	}
	for _, d := range visited {
		c.byDir[d] = found
	}
	return found
}

// displayPath names a settings file relative to the current folder when
// that is shorter, as users typed their paths.
func displayPath(abs string) string {
	wd, err := os.Getwd()
	if err != nil {
		return abs
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || len(rel) >= len(abs) {
		return abs
	}
	return rel
}

// jobDir is the absolute folder whose settings file applies to j: the
// file's own, or for standard input that of --stdin-filename, else the
// current folder.
func (c *config) jobDir(j *job) (string, error) {
	dir := "."
	switch {
	case !j.stdin:
		dir = filepath.Dir(j.path)
	case c.stdinName != "":
		dir = filepath.Dir(c.stdinName)
	}
	return c.abs(dir)
}

// abs is filepath.Abs with the working folder looked up once per run
// rather than once per file (os.Getwd costs two system calls each time).
func (c *config) abs(path string) (string, error) {
	if filepath.IsAbs(path) || c.wd == nil {
		return filepath.Abs(path)
	}
	wd, err := c.wd()
	if err != nil {
		return "", err
	}
	return filepath.Join(wd, path), nil
}

// jobSettings is what applies to one job: the engine's options, the
// severity overrides and the fail level.
type jobSettings struct {
	opts     rewrite.Options
	severity map[string]rule.Severity
	failOn   level
	outside  outsideSettings // build context and base images
	cacheDir string          // the result cache's folder; "" for none
}

// settingsFor returns everything that applies to one job: the flags given
// on the command line, then the settings file found for the job's folder,
// then the defaults.
func (c *config) settingsFor(j *job) (jobSettings, error) {
	fc := c.settings
	if fc == nil && !c.noConfig && c.configs != nil {
		abs, err := c.jobDir(j)
		if err != nil {
			return jobSettings{}, err
		}
		found := c.configs.forDir(abs)
		if found.err != nil {
			return jobSettings{}, fmt.Errorf("%s: not processed: %w", j.path, found.err)
		}
		fc = found.cfg
	}
	return c.merge(fc, c.relTo(fc, j)), nil
}

// relTo returns the job's path relative to the settings file's folder,
// with forward slashes, for [per-file-ignores]; "" when there is no such
// path.
func (c *config) relTo(fc *fileConfig, j *job) string {
	if fc == nil || fc.dir == "" || len(fc.perFile) == 0 {
		return ""
	}
	p := j.path
	if j.stdin {
		if c.stdinName == "" {
			return ""
		}
		p = c.stdinName
	}
	abs, err := c.abs(p)
	if err != nil {
		return ""
	}
	rel, err := filepath.Rel(fc.dir, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return ""
	}
	return filepath.ToSlash(rel)
}

// merge lays the flags given on the command line over a settings file;
// rel is the file's path under the settings file's folder.
func (c *config) merge(fc *fileConfig, rel string) jobSettings {
	o := c.opts
	s := jobSettings{failOn: c.failOn}
	sel, ignore := c.sel, c.ignore
	var perFile []perFileIgnore
	var severity map[string]level
	if fc != nil {
		if fc.sel != nil && !c.set["select"] {
			sel = fc.sel
		}
		if fc.ignore != nil && !c.set["ignore"] {
			ignore = fc.ignore
		}
		perFile, severity = fc.perFile, fc.severity
		if fc.failOn != nil && !c.set["fail-on"] {
			s.failOn = *fc.failOn
		}
		if v := fc.Rules.Unsafe; v != nil && !c.set["unsafe"] {
			o.Unsafe = *v
		}
		if v := fc.Rules.Split; v != nil && !c.set["split"] {
			o.Split = *v
		}
		if v := fc.Rules.ExplicitShell; v != nil && !c.set["explicit-shell"] {
			o.ExplicitShell = *v
		}
		if v := fc.Format.Enabled; v != nil && !c.set["no-format"] {
			o.NoFormat = !*v
		}
		if v := fc.Format.Indent; v != nil && !c.set["indent"] {
			o.Indent = *v
		}
	}
	s.outside = c.outsideFor(fc)
	picked := selectRules(sel, ignore, perFile, rel, severity)
	o.Disable = picked.disable
	s.opts, s.severity = o, picked.severity
	s.cacheDir = c.cacheDirFor(fc)
	return s
}

// showConfig prints, for each path, the settings file that applies to it
// and the options in effect there, as TOML: what --show-config prints.
// A directory's own settings are shown; with no path, standard input's.
func (c *config) showConfig(w, errw io.Writer, paths []string) error {
	if len(paths) == 0 {
		paths = []string{""}
	}
	var failed error
	for i, p := range paths {
		j := &job{path: p}
		name := p
		if p == "" || p == "-" {
			j.stdin = true
			name = "<stdin>"
			if c.stdinName != "" {
				name = c.stdinName
			}
		} else if info, err := os.Stat(p); err == nil && info.IsDir() {
			j.path = filepath.Join(p, "Dockerfile") // any file in it
		}
		js, err := c.settingsFor(j)
		opts := js.opts
		if err != nil {
			if e := errors.Unwrap(err); e != nil {
				err = e // the settings file's error, without "not processed"
			}
			failed = err
			fmt.Fprintf(errw, "cmdfix: %v\n", err)
			continue
		}
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "# %s: %s\n", name, c.settingsSource(j))
		fmt.Fprintf(w, "fail-on = %q\n\n", js.failOn)
		disable := make([]string, 0, len(opts.Disable))
		for _, d := range opts.Disable {
			disable = append(disable, strconv.Quote(d))
		}
		indent := opts.Indent
		if indent == 0 {
			indent = 4
		}
		fmt.Fprintf(w, "[rules]\ndisable = [%s]\nunsafe = %t\nsplit = %t\nexplicit-shell = %t\n\n[format]\nenabled = %t\nindent = %d\n",
			strings.Join(disable, ", "), opts.Unsafe, opts.Split, opts.ExplicitShell, !opts.NoFormat, indent)
		if len(js.severity) > 0 {
			fmt.Fprintf(w, "\n[severity]\n")
			for _, r := range allRules() {
				if sev, ok := js.severity[r]; ok {
					fmt.Fprintf(w, "%s = %q\n", r, sev)
				}
			}
		}
	}
	return failed
}

// settingsSource says where a job's settings come from, for --show-config.
func (c *config) settingsSource(j *job) string {
	switch {
	case c.noConfig:
		return "flags and defaults (--no-config)"
	case c.settings != nil:
		return "--config " + c.configPath + ", flags and defaults"
	}
	abs, err := c.jobDir(j)
	if err != nil {
		return "flags and defaults"
	}
	if c.configs == nil {
		return "flags and defaults"
	}
	if p := c.configs.pathFor(abs); p != "" {
		return p + ", flags and defaults"
	}
	return "no " + configName + "; flags and defaults"
}
