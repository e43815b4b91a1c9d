#!/usr/bin/env node
// The cmdfix command of the npm package: it runs the Go binary from the
// package for this platform (@cmdfix/linux-x64, ...), which npm installed
// as one of cmdfix's optional dependencies (it skips those whose os and
// cpu do not match), with the same arguments, standard streams and exit
// status. CMDFIX_BINARY names another binary to run instead.
"use strict";

const { spawnSync } = require("node:child_process");

// The platform packages, by Node's process.platform and process.arch.
const packages = {
  "linux x64": "@cmdfix/linux-x64",
  "linux arm64": "@cmdfix/linux-arm64",
  "darwin x64": "@cmdfix/darwin-x64",
  "darwin arm64": "@cmdfix/darwin-arm64",
  "win32 x64": "@cmdfix/win32-x64",
  "win32 arm64": "@cmdfix/win32-arm64",
};

function binaryPath() {
  if (process.env.CMDFIX_BINARY) {
    return process.env.CMDFIX_BINARY;
  }
  const key = `${process.platform} ${process.arch}`;
  const pkg = packages[key];
  if (!pkg) {
    throw new Error(
      `there is no cmdfix binary for ${key} in this package; ` +
        "build it with Go: go install github.com/cmdfix/cmdfix/cmd/cmdfix@latest"
    );
  }
  const exe = process.platform === "win32" ? "cmdfix.exe" : "cmdfix";
  try {
    return require.resolve(`${pkg}/bin/${exe}`);
  } catch {
    throw new Error(
      `the package ${pkg}, which holds cmdfix for ${key}, is not installed; ` +
        "npm installs it with cmdfix unless optional dependencies are left out " +
        "(--omit=optional, --no-optional): reinstall cmdfix without that"
    );
  }
}

let bin;
try {
  bin = binaryPath();
} catch (err) {
  console.error(`cmdfix: ${err.message}`);
  process.exit(2);
}
const result = spawnSync(bin, process.argv.slice(2), { stdio: "inherit" });
if (result.error) {
  console.error(`cmdfix: running ${bin}: ${result.error.message}`);
  process.exit(2);
}
if (result.signal) {
  process.kill(process.pid, result.signal);
}
process.exit(result.status);
