package rules

import "testing"

func TestUsesPositional(t *testing.T) {
	for script, want := range map[string]bool{
		`exec node "$@"`:                 true,
		`exec "$0" "$@"`:                 true,
		`run $1`:                         true,
		`run ${1:-default}`:              true,
		`echo $# args`:                   true,
		`echo "$*"`:                      true,
		`python app.py`:                  false,
		`echo $HOME $PORT`:               false,
		`echo '$@ is not expanded' $$`:   false,
		`awk '{print $1}' /etc/hosts`:    false,
		`if then fi $1 (unparseable`:     true, // falls back to a plain search
		`for x in a b; do echo $x; done`: false,
	} {
		if got := usesPositional(script); got != want {
			t.Errorf("usesPositional(%q) = %v, want %v", script, got, want)
		}
	}
}
