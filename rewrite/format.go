package rewrite

// Format returns f's source in canonical layout. Until the formatter lands
// it returns the source unchanged.
func Format(f *File, indent int) []byte {
	return f.src
}
