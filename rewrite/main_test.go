package rewrite

import (
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
)

func TestMain(m *testing.M) { corpus.Main(m) }
