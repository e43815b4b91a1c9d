package lsp

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/lsp/protocol"
)

// client is a JSON-RPC client that talks to a Server over pipes, as an
// editor does over the server's standard input and output.
type client struct {
	t      *testing.T
	in     *io.PipeWriter // the server's input
	mu     sync.Mutex
	nextID int
	waits  map[string]chan message
	notes  chan message
	done   chan error // Serve's result
	closed bool
}

func newClient(t *testing.T, s *Server) *client {
	t.Helper()
	if s.Debounce == 0 {
		s.Debounce = 5 * time.Millisecond
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	c := &client{t: t, in: inW, waits: map[string]chan message{}, notes: make(chan message, 1000), done: make(chan error, 1)}
	go func() {
		err := s.Serve(inR, outW)
		outW.Close()
		inR.Close()
		c.done <- err
	}()
	go c.read(bufio.NewReader(outR))
	t.Cleanup(func() { inW.Close() })
	return c
}

// read routes the server's messages: responses to their waiting call,
// notifications to notes.
func (c *client) read(r *bufio.Reader) {
	for {
		body, err := readMessage(r)
		if err != nil {
			close(c.notes)
			return
		}
		var m message
		if err := json.Unmarshal(body, &m); err != nil {
			c.t.Errorf("server sent unreadable JSON %q: %v", body, err)
			continue
		}
		if m.Method != "" {
			c.notes <- m
			continue
		}
		c.mu.Lock()
		ch := c.waits[string(m.ID)]
		delete(c.waits, string(m.ID))
		c.mu.Unlock()
		if ch == nil {
			ch = c.waits["null"]
			if ch == nil {
				c.t.Errorf("response to nothing asked: %s", body)
				continue
			}
			c.mu.Lock()
			delete(c.waits, "null")
			c.mu.Unlock()
		}
		ch <- m
	}
}

func (c *client) write(body []byte) {
	c.t.Helper()
	if _, err := fmt.Fprintf(c.in, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		c.t.Fatalf("writing to the server: %v", err)
	}
}

// expect registers a wait for the response with id (JSON text).
func (c *client) expect(id string) chan message {
	ch := make(chan message, 1)
	c.mu.Lock()
	c.waits[id] = ch
	c.mu.Unlock()
	return ch
}

func wait(t *testing.T, ch chan message) message {
	t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(30 * time.Second):
		t.Fatal("no response from the server")
	}
	return message{}
}

// call sends a request and decodes its result into result; a JSON-RPC
// error is returned.
func (c *client) call(method string, params, result any) *rpcError {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := fmt.Sprint(c.nextID)
	c.mu.Unlock()
	ch := c.expect(id)
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": c.nextID, "method": method, "params": params})
	if err != nil {
		c.t.Fatal(err)
	}
	c.write(body)
	m := wait(c.t, ch)
	if m.Error != nil {
		return m.Error
	}
	if result != nil {
		if err := json.Unmarshal(m.Result, result); err != nil {
			c.t.Fatalf("%s: result %s: %v", method, m.Result, err)
		}
	}
	return nil
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
	if err != nil {
		c.t.Fatal(err)
	}
	c.write(body)
}

// diagnostics waits for the diagnostics of uri at version.
func (c *client) diagnostics(uri string, version int) []protocol.Diagnostic {
	c.t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case m, ok := <-c.notes:
			if !ok {
				c.t.Fatal("the server ended before publishing diagnostics")
			}
			if m.Method != "textDocument/publishDiagnostics" {
				continue
			}
			var p protocol.PublishDiagnosticsParams
			if err := json.Unmarshal(m.Params, &p); err != nil {
				c.t.Fatal(err)
			}
			if p.URI == uri && p.Version != nil && *p.Version == version {
				return p.Diagnostics
			}
		case <-timeout:
			c.t.Fatalf("no diagnostics for %s version %d", uri, version)
		}
	}
}

// end closes the server's input and returns what Serve returned.
func (c *client) end() error {
	c.in.Close()
	select {
	case err := <-c.done:
		return err
	case <-time.After(30 * time.Second):
		c.t.Fatal("the server did not end")
	}
	return errors.New("unreachable")
}

func (c *client) initialize() protocol.InitializeResult {
	c.t.Helper()
	var res protocol.InitializeResult
	if err := c.call("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}, &res); err != nil {
		c.t.Fatalf("initialize: %v", err)
	}
	c.notify("initialized", map[string]any{})
	return res
}

func (c *client) open(uri, text string) {
	c.notify("textDocument/didOpen", protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: uri, LanguageID: "dockerfile", Version: 1, Text: text}})
}

// codes lists diagnostics as "LINE code", 1-based.
func codes(ds []protocol.Diagnostic) string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%d %s", d.Range.Start.Line+1, d.Code))
	}
	return strings.Join(out, ", ")
}
