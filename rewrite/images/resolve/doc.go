// Package resolve reads a base image's configuration (ENTRYPOINT, CMD,
// SHELL, OS, WORKDIR, USER, ENV, ONBUILD) from its registry, for the rules
// that need to know what an image runs when the built-in table of
// well-known images does not say.
//
// A [Resolver] fetches the manifest (choosing one image of an index by
// platform) and the config blob with github.com/google/go-containerregistry,
// using the credentials of ~/.docker/config.json by default. It caches
// what it fetched on disk: a tag's digest for a limited time, a digest's
// config for good, since content addressed by digest cannot change. A
// reference by digest whose config is cached needs no network at all.
//
// Every failure is an [*Error] naming the image and one [Kind] of cause
// (unreachable, unauthorized, not found, malformed, timeout, ...). Callers
// are expected to fall back to the table and go on, never to stop.
//
// [Compare] lists where a row of the table disagrees with a resolved
// config, so that the table can be checked against the registry.
//
// [Resolver.ReadFile] reads one file, such as the script an ENTRYPOINT
// runs ([Config.LookPath] finds it through PATH), from the image's layers,
// from the top down and bounded in bytes fetched.
//
// The package has no dependency on the rest of cmdfix.
package resolve
