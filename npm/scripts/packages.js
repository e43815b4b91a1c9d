#!/usr/bin/env node
// Makes the npm packages of a release from make dist's output:
//
//   node npm/scripts/packages.js DIST OUT
//
// For each binary DIST/bin/GOOS-GOARCH/cmdfix[.exe], a platform package
// OUT/OS-CPU (@cmdfix/linux-x64, ...) whose package.json limits it to that
// os and cpu; and the main package OUT/cmdfix, from npm/cmdfix, whose bin
// is a small launcher (bin/cmdfix.js) and whose optionalDependencies are
// the platform packages, so that npm installs only the one for the
// machine (the pattern of esbuild and dockerfmt); the main package lists
// all six, as a release builds them all, and npm skips an optional
// dependency it cannot fetch. The version of every
// package is the release's, read from the archive names in DIST/SHA256SUMS
// (cmdfix_1.2.3_linux_amd64.tar.gz). Publish the platform packages first.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

// Go's GOOS-GOARCH to npm's os and cpu (Node's process.platform and arch).
const platforms = {
  "linux-amd64": { os: "linux", cpu: "x64" },
  "linux-arm64": { os: "linux", cpu: "arm64" },
  "darwin-amd64": { os: "darwin", cpu: "x64" },
  "darwin-arm64": { os: "darwin", cpu: "arm64" },
  "windows-amd64": { os: "win32", cpu: "x64" },
  "windows-arm64": { os: "win32", cpu: "arm64" },
};

function fail(msg) {
  console.error(`packages: ${msg}`);
  process.exit(1);
}

function releaseVersion(dist) {
  let sums;
  try {
    sums = fs.readFileSync(path.join(dist, "SHA256SUMS"), "utf8");
  } catch (err) {
    fail(`${err.message} (run make dist first)`);
  }
  const versions = new Set();
  for (const line of sums.split("\n")) {
    const m = /^[0-9a-f]{64} {2}cmdfix_(.+)_[a-z]+_[a-z0-9]+\.(tar\.gz|zip)$/.exec(line);
    if (m) {
      versions.add(m[1]);
    }
  }
  if (versions.size !== 1) {
    fail(`SHA256SUMS names ${versions.size} versions, want one: ${[...versions].join(", ")}`);
  }
  return [...versions][0];
}

function writeJSON(file, value) {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
}

function main() {
  const [dist, out] = process.argv.slice(2);
  if (!dist || !out) {
    fail("usage: node npm/scripts/packages.js DIST OUT");
  }
  const root = path.resolve(__dirname, "..", "..");
  const version = releaseVersion(dist);
  const license = fs.readFileSync(path.join(root, "LICENSE"));
  const template = JSON.parse(fs.readFileSync(path.join(root, "npm", "cmdfix", "package.json"), "utf8"));
  fs.rmSync(out, { recursive: true, force: true });

  const optional = {};
  let built = 0;
  for (const [goPlatform, { os, cpu }] of Object.entries(platforms)) {
    const name = `@cmdfix/${os}-${cpu}`;
    optional[name] = version;
    const exe = os === "win32" ? "cmdfix.exe" : "cmdfix";
    const bin = path.join(dist, "bin", goPlatform, exe);
    if (!fs.existsSync(bin)) {
      console.error(`packages: no ${bin}: ${name} not made`);
      continue;
    }
    built++;
    const dir = path.join(out, `${os}-${cpu}`);
    fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
    fs.copyFileSync(bin, path.join(dir, "bin", exe));
    fs.chmodSync(path.join(dir, "bin", exe), 0o755);
    fs.writeFileSync(path.join(dir, "LICENSE"), license);
    fs.writeFileSync(
      path.join(dir, "README.md"),
      `# ${name}\n\nThe cmdfix binary for ${os} on ${cpu}. Install the package \`cmdfix\`, ` +
        "which depends on this one for this platform and runs it.\n"
    );
    writeJSON(path.join(dir, "package.json"), {
      name,
      version,
      description: `The cmdfix binary for ${os} on ${cpu}`,
      license: template.license,
      repository: template.repository,
      os: [os],
      cpu: [cpu],
      files: [`bin/${exe}`],
      preferUnplugged: true,
    });
    console.log(`${dir} ${name}@${version}`);
  }
  if (built === 0) {
    fail(`no binaries under ${path.join(dist, "bin")}`);
  }

  const main = path.join(out, "cmdfix");
  fs.mkdirSync(path.join(main, "bin"), { recursive: true });
  fs.copyFileSync(path.join(root, "npm", "cmdfix", "bin", "cmdfix.js"), path.join(main, "bin", "cmdfix.js"));
  fs.chmodSync(path.join(main, "bin", "cmdfix.js"), 0o755);
  fs.writeFileSync(path.join(main, "LICENSE"), license);
  fs.copyFileSync(path.join(root, "README.md"), path.join(main, "README.md"));
  writeJSON(path.join(main, "package.json"), { ...template, version, optionalDependencies: optional });
  console.log(`${main} cmdfix@${version}`);
}

main();
