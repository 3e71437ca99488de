#!/usr/bin/env bash
# First-time setup (RFC-016 Workflow 1): PRISM_HOME and its config.yaml, the local platform,
# an automatic login as the developer identity, and the URLs to open.
# PRISM_BIN names the folder holding prism and prismctl (default: bin, what `make build` writes).
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${PRISM_BIN:-bin}"
export PRISM_HOME="${PRISM_HOME:-$HOME/.prism}"
mkdir -p "$PRISM_HOME"
config="$PRISM_HOME/config.yaml"
if [ ! -f "$config" ]; then
  cat > "$config" <<YAML
# prismctl configuration (RFC-016 layout). Flags and PRISM_* variables override it.
admin:
  endpoint: http://localhost:${PRISM_ADMIN_PORT:-8981}
proxy:
  endpoint: http://localhost:${PRISM_PROXY_PORT:-8980}
auth:
  oidc:
    issuer: ${PRISM_IDENTITY_ISSUER:-http://localhost:${PRISM_IDENTITY_PORT:-5556}/dex}
    client_id: prismctl
    auto_login: true  # local development only: logs in as dev@local.prism
YAML
  echo "wrote $config"
else
  echo "kept $config"
fi

"$bin/prism" dev up
"$bin/prismctl" login
"$bin/prismctl" whoami
echo
echo "✅ Prism is ready. Services:"
"$bin/prism" dev status
