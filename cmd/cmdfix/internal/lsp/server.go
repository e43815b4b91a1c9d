package lsp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/lsp/protocol"
	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// Server is one language server session. Set its fields, then call Serve.
type Server struct {
	// Options returns the options the command would use for the file at
	// path (an absolute path, or "" for a buffer that is no file): the
	// settings of the .cmdfix.toml found for its folder over the
	// defaults. Nil means the defaults everywhere.
	Options func(path string) (rewrite.Options, error)
	// Version is reported as serverInfo.version.
	Version string
	// Log receives a line for each protocol problem; nil discards them.
	Log io.Writer
	// Debounce is how long after the last change diagnostics are
	// computed; zero means 200ms.
	Debounce time.Duration

	w *writer

	mu          sync.Mutex
	docs        map[string]*document
	client      settings
	initialized bool
	shutdown    bool
}

// document is an open text document.
type document struct {
	uri     string
	path    string // "" when the URI names no file
	text    string
	version int
	timer   *time.Timer
	cache   *analysis // of text with the current settings, or nil
}

// analysis is what Process made of one text with the diagnostics options.
type analysis struct {
	text string
	opts rewrite.Options
	res  *rewrite.Result
	err  error

	// The code actions' verdicts, kept with the text they are about:
	// editors ask for actions on every cursor move.
	mu       sync.Mutex
	verified map[int]bool             // finding index: its fix passes the net
	ignores  map[int]*dockerfile.Edit // finding index: its pragma, nil if none works
	fixAll   *protocol.CodeAction     // nil until computed
	fixAllOK bool
}

// settings are the client's choices (see the package doc).
type settings struct {
	UnsafeFixes *bool    `json:"unsafeFixes"`
	SplitFixes  *bool    `json:"splitFixes"`
	Disable     []string `json:"disable"`
}

func (c settings) unsafe() bool { return c.UnsafeFixes == nil || *c.UnsafeFixes }
func (c settings) split() bool  { return c.SplitFixes == nil || *c.SplitFixes }

// ErrNoShutdown is returned by Serve when the client ended the session
// (exit, or end of input) without asking for shutdown first; the
// specification asks for exit status 1 then.
var ErrNoShutdown = errors.New("the client ended the session without shutdown")

// Serve reads requests from in and writes responses and notifications to
// out until the client sends exit or in ends. It returns nil after a
// shutdown request followed by exit, ErrNoShutdown when the session ended
// otherwise, and an error when in or out failed.
func (s *Server) Serve(in io.Reader, out io.Writer) error {
	s.w = &writer{out: out}
	s.docs = map[string]*document{}
	defer s.stopTimers()
	r := bufio.NewReader(in)
	for {
		body, err := readMessage(r)
		switch {
		case errors.Is(err, io.EOF):
			if s.isShutdown() {
				return nil
			}
			return ErrNoShutdown
		case errors.Is(err, errFraming):
			s.logf("%v", err)
			if err := s.w.reply(nil, nil, errorf(codeParseError, "message without a valid Content-Length header")); err != nil {
				return err
			}
			continue
		case err != nil:
			return err
		}
		exit, err := s.handle(body)
		if err != nil {
			return err // out failed
		}
		if exit {
			if s.isShutdown() {
				return nil
			}
			return ErrNoShutdown
		}
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.Log != nil {
		fmt.Fprintf(s.Log, "cmdfix lsp: "+format+"\n", args...)
	}
}

func (s *Server) isShutdown() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shutdown
}

func (s *Server) stopTimers() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.docs {
		if d.timer != nil {
			d.timer.Stop()
		}
	}
}

// handle answers one message; exit reports an exit notification. The
// error is a failure to write.
func (s *Server) handle(body []byte) (exit bool, err error) {
	defer func() {
		// A bug in the server must not end the session: the request gets
		// an InternalError (notifications nothing), and the editor goes on.
		if v := recover(); v != nil {
			s.logf("internal error: %v\n%s", v, debug.Stack())
			var m message
			if json.Unmarshal(body, &m) == nil && m.ID != nil && validID(m.ID) {
				err = s.w.reply(m.ID, nil, errorf(codeInternalError, "internal error in cmdfix lsp: %v (please report this)", v))
			}
		}
	}()
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return false, s.w.reply(nil, nil, errorf(codeInvalidRequest, "batches are not used by the Language Server Protocol"))
	}
	if !json.Valid(body) {
		s.logf("a message that is not JSON")
		return false, s.w.reply(nil, nil, errorf(codeParseError, "the message is not valid JSON"))
	}
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		s.logf("not a JSON-RPC message: %v", err)
		return false, s.w.reply(nil, nil, errorf(codeInvalidRequest, "not a JSON-RPC message: %v", err))
	}
	isRequest := m.ID != nil && string(bytes.TrimSpace(m.ID)) != "null"
	switch {
	case isRequest && !validID(m.ID):
		return false, s.w.reply(nil, nil, errorf(codeInvalidRequest, "id must be a string or a number"))
	case m.JSONRPC != "2.0":
		if isRequest {
			return false, s.w.reply(m.ID, nil, errorf(codeInvalidRequest, `jsonrpc must be "2.0"`))
		}
		s.logf("dropped a message without jsonrpc 2.0")
		return false, nil
	case m.Method == "":
		if !isRequest && m.Result == nil && m.Error == nil {
			return false, s.w.reply(nil, nil, errorf(codeInvalidRequest, "a message needs a method, or a result or error"))
		}
		return false, nil // a response: the server sends no requests
	}
	if m.Method == "exit" {
		return true, nil
	}
	s.mu.Lock()
	initialized, shutdown := s.initialized, s.shutdown
	s.mu.Unlock()
	if !isRequest {
		if initialized && !shutdown {
			s.notification(m.Method, m.Params)
		}
		return false, nil
	}
	var result any
	switch {
	case shutdown:
		err = errorf(codeInvalidRequest, "the server is shutting down")
	case !initialized && m.Method != "initialize":
		err = errorf(codeServerNotInitialized, "initialize first")
	default:
		result, err = s.request(m.Method, m.Params)
	}
	return false, s.w.reply(m.ID, result, err)
}

// decode reads a method's params; a mismatch is InvalidParams.
func decode(params json.RawMessage, v any) error {
	if len(params) == 0 {
		return errorf(codeInvalidParams, "params missing")
	}
	if err := json.Unmarshal(params, v); err != nil {
		return errorf(codeInvalidParams, "params: %v", err)
	}
	return nil
}

func (s *Server) request(method string, params json.RawMessage) (any, error) {
	switch method {
	case "initialize":
		return s.initialize(params)
	case "shutdown":
		s.mu.Lock()
		s.shutdown = true
		s.mu.Unlock()
		s.stopTimers()
		return nil, nil
	case "textDocument/codeAction":
		var p protocol.CodeActionParams
		if err := decode(params, &p); err != nil {
			return nil, err
		}
		return s.codeActions(p)
	case "textDocument/formatting":
		var p protocol.DocumentFormattingParams
		if err := decode(params, &p); err != nil {
			return nil, err
		}
		return s.format(p)
	case "textDocument/hover":
		var p protocol.TextDocumentPositionParams
		if err := decode(params, &p); err != nil {
			return nil, err
		}
		return s.hover(p)
	}
	return nil, errorf(codeMethodNotFound, "method not supported: %s", method)
}

func (s *Server) initialize(params json.RawMessage) (any, error) {
	var p protocol.InitializeParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.initialized {
		s.mu.Unlock()
		return nil, errorf(codeInvalidRequest, "initialize was already called")
	}
	s.initialized = true
	if len(p.InitializationOptions) > 0 {
		s.client, _ = readSettings(p.InitializationOptions) // bad settings: defaults
	}
	s.mu.Unlock()
	return protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			PositionEncoding: "utf-16",
			TextDocumentSync: protocol.TextDocumentSyncOptions{
				OpenClose: true,
				Change:    protocol.SyncIncremental,
				Save:      protocol.SaveOptions{IncludeText: false},
			},
			CodeActionProvider: protocol.CodeActionOptions{
				CodeActionKinds: []string{protocol.KindQuickFix, protocol.KindRefactorRewrite, protocol.KindFixAllCmdfix},
			},
			DocumentFormattingProvider: true,
			HoverProvider:              true,
		},
		ServerInfo: protocol.ServerInfo{Name: "cmdfix", Version: s.Version},
	}, nil
}

// readSettings reads the client's settings, bare or inside "cmdfix".
func readSettings(raw json.RawMessage) (settings, error) {
	var wrapped struct {
		Cmdfix *settings `json:"cmdfix"`
	}
	if err := json.Unmarshal(raw, &wrapped); err != nil {
		return settings{}, err
	}
	if wrapped.Cmdfix != nil {
		return *wrapped.Cmdfix, nil
	}
	var c settings
	err := json.Unmarshal(raw, &c)
	return c, err
}

func (s *Server) notification(method string, params json.RawMessage) {
	var err error
	switch method {
	case "textDocument/didOpen":
		var p protocol.DidOpenTextDocumentParams
		if err = decode(params, &p); err == nil {
			s.open(p)
		}
	case "textDocument/didChange":
		var p protocol.DidChangeTextDocumentParams
		if err = decode(params, &p); err == nil {
			err = s.change(p)
		}
	case "textDocument/didSave":
		var p protocol.DidSaveTextDocumentParams
		if err = decode(params, &p); err == nil {
			s.save(p)
		}
	case "textDocument/didClose":
		var p protocol.DidCloseTextDocumentParams
		if err = decode(params, &p); err == nil {
			s.close(p)
		}
	case "workspace/didChangeConfiguration":
		var p protocol.DidChangeConfigurationParams
		if err = decode(params, &p); err == nil {
			err = s.configure(p)
		}
	}
	// Other notifications ($/cancelRequest, $/setTrace, initialized...)
	// need nothing.
	if err != nil {
		s.logf("%s: %v", method, err)
	}
}

// pathOf returns the file a URI names, or "".
func pathOf(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	p := u.Path
	if runtime.GOOS == "windows" && len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:] // file:///C:/x names C:/x
	}
	return filepath.FromSlash(p)
}

func (s *Server) open(p protocol.DidOpenTextDocumentParams) {
	d := &document{uri: p.TextDocument.URI, path: pathOf(p.TextDocument.URI), text: p.TextDocument.Text, version: p.TextDocument.Version}
	s.mu.Lock()
	if old := s.docs[d.uri]; old != nil && old.timer != nil {
		old.timer.Stop()
	}
	s.docs[d.uri] = d
	s.mu.Unlock()
	s.publish(d.uri)
}

func (s *Server) change(p protocol.DidChangeTextDocumentParams) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[p.TextDocument.URI]
	if d == nil {
		return fmt.Errorf("%s is not open", p.TextDocument.URI)
	}
	text := d.text
	for _, c := range p.ContentChanges {
		var err error
		if text, err = applyChange(text, c); err != nil {
			return err
		}
	}
	d.text, d.version, d.cache = text, p.TextDocument.Version, nil
	delay := s.Debounce
	if delay <= 0 {
		delay = 200 * time.Millisecond
	}
	if d.timer != nil {
		d.timer.Stop()
	}
	uri := d.uri
	d.timer = time.AfterFunc(delay, func() {
		defer func() {
			if v := recover(); v != nil {
				s.logf("internal error publishing diagnostics: %v\n%s", v, debug.Stack())
			}
		}()
		s.publish(uri)
	})
	return nil
}

func (s *Server) save(p protocol.DidSaveTextDocumentParams) {
	s.mu.Lock()
	d := s.docs[p.TextDocument.URI]
	if d != nil && p.Text != nil && *p.Text != d.text {
		d.text, d.cache = *p.Text, nil
	}
	s.mu.Unlock()
	if d != nil {
		s.publish(d.uri) // the settings file may have changed too
	}
}

func (s *Server) close(p protocol.DidCloseTextDocumentParams) {
	s.mu.Lock()
	d := s.docs[p.TextDocument.URI]
	if d != nil && d.timer != nil {
		d.timer.Stop()
	}
	delete(s.docs, p.TextDocument.URI)
	s.mu.Unlock()
	if d != nil {
		s.w.notify("textDocument/publishDiagnostics", protocol.PublishDiagnosticsParams{URI: d.uri, Diagnostics: []protocol.Diagnostic{}})
	}
}

func (s *Server) configure(p protocol.DidChangeConfigurationParams) error {
	c, err := readSettings(p.Settings)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.client = c
	var uris []string
	for uri, d := range s.docs {
		d.cache = nil
		uris = append(uris, uri)
	}
	s.mu.Unlock()
	slices.Sort(uris)
	for _, uri := range uris {
		s.publish(uri)
	}
	return nil
}

// snapshot returns a copy of an open document's state and the client's
// settings, or ok false.
func (s *Server) snapshot(uri string) (d document, c settings, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.docs[uri]
	if p == nil {
		return document{}, settings{}, false
	}
	return *p, s.client, true
}

// options returns the command's options for a document, with the rules
// the client disabled added.
func (s *Server) options(d *document, c settings) (rewrite.Options, error) {
	opts := rewrite.Options{Indent: 4}
	if s.Options != nil {
		var err error
		if opts, err = s.Options(d.path); err != nil {
			return opts, err
		}
	}
	for _, name := range c.Disable {
		if !slices.Contains(opts.Disable, name) && rule.ByName(rules.All, name) != nil {
			opts.Disable = append(opts.Disable, name)
		}
	}
	return opts, nil
}

// name is the document's name in messages: its path, else its URI.
func (d *document) name() string {
	if d.path != "" {
		return d.path
	}
	return d.uri
}

// analyze returns the findings for the document as it is now, from the
// cache when the text and settings are unchanged.
func (s *Server) analyze(uri string) (*analysis, document, settings, bool) {
	d, c, ok := s.snapshot(uri)
	if !ok {
		return nil, d, c, false
	}
	if d.cache != nil && d.cache.text == d.text {
		return d.cache, d, c, true
	}
	a := &analysis{text: d.text}
	a.opts, a.err = s.options(&d, c)
	if a.err == nil {
		a.opts.NoFormat = true
		a.res, a.err = rewrite.Process(d.name(), []byte(d.text), a.opts)
	}
	s.mu.Lock()
	if p := s.docs[uri]; p != nil && p.text == d.text {
		p.cache = a
	}
	s.mu.Unlock()
	return a, d, c, true
}

// publish sends the diagnostics of an open document.
func (s *Server) publish(uri string) {
	a, d, _, ok := s.analyze(uri)
	if !ok {
		return
	}
	diags := diagnostics(&d, a)
	s.mu.Lock()
	current := s.docs[uri]
	stale := current == nil || current.text != d.text
	s.mu.Unlock()
	if stale {
		return // a newer change will publish its own
	}
	version := d.version
	if err := s.w.notify("textDocument/publishDiagnostics", protocol.PublishDiagnosticsParams{URI: uri, Version: &version, Diagnostics: diags}); err != nil {
		s.logf("publishing diagnostics: %v", err)
	}
}

// errorLine returns the 0-based line a Process error is about.
func errorLine(err error) int {
	var pe *dockerfile.ParseError
	if errors.As(err, &pe) && pe.Line > 0 {
		return pe.Line - 1
	}
	return 0
}

// errorMessage returns what a Process error says, without the file name
// an editor shows anyway.
func errorMessage(err error) string {
	var pe *dockerfile.ParseError
	if errors.As(err, &pe) {
		return pe.Msg
	}
	return strings.TrimSpace(err.Error())
}
