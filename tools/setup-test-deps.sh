#!/usr/bin/env bash
# What the test suite needs beyond Python packages: Java jars for the local Neo4j (fetched
# once from Maven Central) and Debian's Chromium for the browser tests. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f tools/neo4j/neo4j.sh ]; then
  bash tools/neo4j/neo4j.sh fetch
fi
