#!/usr/bin/env bash
# What the test suite needs beyond Python packages: Java jars for the local Neo4j (fetched
# once from Maven Central) and Debian's Chromium for the browser tests. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f tools/neo4j/neo4j.sh ]; then
  # the local Neo4j needs Java 17+ and Maven (to fetch its jars); Debian's when missing
  if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jdk-headless maven
    else
      echo "setup-test-deps: java 17+ and mvn are needed for the Neo4j tests (apt-get install" \
           "default-jdk-headless maven)" >&2
    fi
  fi
  bash tools/neo4j/neo4j.sh fetch
fi

# Debian's Chromium for the browser tests (driven by Playwright; never `playwright install`).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  else
    echo "setup-test-deps: /usr/bin/chromium is missing and we cannot install it (not root, no sudo);" \
         "the browser tests will be skipped outside CI" >&2
  fi
fi
