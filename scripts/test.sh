#!/usr/bin/env bash
# Runs every springboard test: unit, integration, doc tests, and each benchmark once
# in test mode. Installs what the tests need first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
cargo test --locked --workspace --benches
cargo test --locked --workspace
