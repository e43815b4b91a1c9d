package resolve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// Kind is the category of a resolution failure.
type Kind uint8

const (
	// Unreachable: no usable answer from the registry (name not found in
	// DNS, connection refused, TLS failure, a server error).
	Unreachable Kind = iota
	// Unauthorized: the registry refused the credentials, or asked for
	// some and none were configured, or the configured ones cannot be read
	// (a config.json that does not parse, a failing credential helper).
	// Docker Hub answers so for a repository that does not exist, too.
	Unauthorized
	// NotFound: the repository, tag, digest or the requested platform
	// does not exist.
	NotFound
	// Malformed: the manifest, index or config is not what the image
	// specifications describe (not JSON, a schema 1 manifest, an
	// unexpected media type, a digest mismatch, an oversized config).
	Malformed
	// Timeout: the registry did not answer within [Resolver.Timeout].
	Timeout
	// Invalid: the reference or platform cannot be parsed (for example
	// it still holds an ARG substitution such as "${BASE}").
	Invalid
	// Canceled: the caller's context was canceled.
	Canceled
	// TooLarge: ReadFile would fetch more than [Resolver.MaxFetch] bytes
	// of layers, or the file has more than [Resolver.MaxFileSize].
	TooLarge
)

func (k Kind) String() string {
	switch k {
	case Unreachable:
		return "unreachable"
	case Unauthorized:
		return "unauthorized"
	case NotFound:
		return "not found"
	case Malformed:
		return "malformed"
	case Timeout:
		return "timeout"
	case Invalid:
		return "invalid reference"
	case Canceled:
		return "canceled"
	case TooLarge:
		return "too large"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Error is a failure to resolve one image: which image, which kind of
// cause, and the underlying error. Its message is one line.
type Error struct {
	// Ref is the reference as given to the Resolver.
	Ref string
	// Kind is the category of the cause.
	Kind Kind
	// Err is the underlying error.
	Err error
}

func (e *Error) Error() string {
	return fmt.Sprintf("image %s: %s: %s", e.Ref, e.Kind, oneLine(e.Err.Error()))
}

func (e *Error) Unwrap() error { return e.Err }

// oneLine folds a message onto one line, so that a registry's multi-line
// error body cannot break the caller's output format.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// kindError is an error whose Kind is known where it is made; its
// message does not repeat the kind, which Error.Error prints.
type kindError struct {
	kind Kind
	msg  string
}

func (e *kindError) Error() string { return e.msg }

// errorf returns an error that classify files under k.
func errorf(k Kind, format string, args ...any) error {
	return &kindError{k, fmt.Sprintf(format, args...)}
}

// malformedf returns an error that classify files under Malformed.
func malformedf(format string, args ...any) error {
	return errorf(Malformed, format, args...)
}

// classify returns the kind of a failure from go-containerregistry or the
// network.
func classify(err error) Kind {
	var kerr *kindError
	var terr *transport.Error
	var nerr net.Error
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return Timeout
	case errors.Is(err, context.Canceled):
		return Canceled
	case errors.As(err, &kerr):
		return kerr.kind
	case errors.As(err, &syntax), errors.As(err, &typ):
		return Malformed
	case errors.As(err, &terr):
		for _, d := range terr.Errors {
			switch d.Code {
			case transport.UnauthorizedErrorCode, transport.DeniedErrorCode:
				return Unauthorized
			case transport.ManifestUnknownErrorCode, transport.NameUnknownErrorCode, transport.BlobUnknownErrorCode:
				return NotFound
			}
		}
		switch terr.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden:
			return Unauthorized
		case http.StatusNotFound:
			return NotFound
		}
		return Unreachable
	case errors.As(err, &nerr) && nerr.Timeout():
		return Timeout
	}
	// go-containerregistry reports a digest or size that does not match
	// the content with plain errors.
	if msg := err.Error(); strings.Contains(msg, "error verifying") || strings.Contains(msg, "does not match") {
		return Malformed
	}
	return Unreachable
}
