package images

// KnownRepository reports whether the table has a row for a repository
// name, for the corpus test.
func KnownRepository(name string) bool {
	_, ok := knownImages()[name]
	return ok
}
