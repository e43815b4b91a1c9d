// Package lsp is cmdfix's language server: `cmdfix lsp` speaks the
// Language Server Protocol 3.17 over standard input and output, so that an
// editor shows the same findings, offers the same proved fixes and formats
// exactly as the command does, on the buffer as it is typed.
//
// The server is a thin layer over [rewrite.Process], the command's own
// entry point, and never looks inside the engine:
//
//   - Diagnostics are the findings of Process run with NoFormat on the
//     document's text, pushed with textDocument/publishDiagnostics when a
//     document is opened or saved, and after a pause in typing (200ms).
//     A text BuildKit cannot parse gives one diagnostic at the error.
//   - Code actions offer each finding's own fix, its edits limited to the
//     instruction's lines. A fix is offered only when the safety net
//     accepts it: Process, run with that rule alone at the fix's safety
//     level, must have applied it, and applying the one edit must lead to
//     the same verified text (see verifyFix). Safe fixes are preferred
//     quick fixes, unsafe ones say in their title what changes, the
//     ENTRYPOINT + CMD split is a refactoring; "source.fixAll.cmdfix"
//     applies what the command applies, and "Ignore RULE here" inserts a
//     "# cmdfix ignore=RULE" pragma above the instruction.
//   - Formatting is Process with the command's options: the same bytes as
//     `cmdfix --stdin-filename PATH`, sent as edits of the changed lines
//     only, so cursors and marks elsewhere stay where they are.
//   - Hover on a finding explains its rule (the first paragraph of the
//     rule's page) and links the page.
//
// Settings come from the .cmdfix.toml the command would use for the
// document (the Options function the server is given), and from the
// client: workspace/didChangeConfiguration (or initializationOptions) may
// set {"unsafeFixes": bool, "splitFixes": bool, "disable": [rules]},
// optionally inside a "cmdfix" object. unsafeFixes and splitFixes say
// whether such fixes are offered as code actions; they never change what
// formatting applies.
//
// The JSON-RPC 2.0 framing is the package's own (jsonrpc.go): a malformed
// message gets a protocol error and the server goes on; an unknown request
// gets MethodNotFound; shutdown, exit, and the end of standard input end
// the server. The LSP types are in package protocol, only those the server
// uses, with the 3.17 specification's names, as gopls keeps its own
// generated from the specification's meta-model.
package lsp
