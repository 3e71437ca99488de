#!/usr/bin/env bash
# First-time setup (RFC-016 Workflow 1): PRISM_HOME and its config.yaml, the local platform,
# an automatic login as the developer identity, and the URLs to open.
set -euo pipefail
cd "$(dirname "$0")/.."

home="${PRISM_HOME:-$HOME/.prism}"
mkdir -p "$home"
config="$home/config.yaml"
if [ ! -f "$config" ]; then
  cat > "$config" <<YAML
# prismctl configuration (RFC-016 layout). Flags and PRISM_* variables override it.
admin:
  endpoint: http://localhost:8981
proxy:
  endpoint: http://localhost:8980
auth:
  oidc:
    issuer: http://localhost:5556/dex
    client_id: prismctl
    auto_login: true  # local development only: logs in as dev@local.prism
YAML
  echo "wrote $config"
else
  echo "kept $config"
fi

bin/prism dev up
PRISM_HOME="$home" bin/prismctl login
PRISM_HOME="$home" bin/prismctl whoami
cat <<TEXT

✅ Prism is ready.
🔭 Telemetry: http://localhost:3301
🔐 Identity:  http://localhost:5556/dex
🛠  Admin:     localhost:8981 (gRPC)   bin/prismctl namespace list
📦 Proxy:     localhost:8980 (gRPC)   namespace metadata: x-prism-namespace
TEXT
