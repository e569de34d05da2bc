#!/usr/bin/env bash
# Build the one-folder app with PyInstaller and prove it starts: --version, the CLI on the
# bundled resources, the demo sandbox, and a shown main window (offscreen). Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
./uvw run python -m cpaudit._dev.i18n compile
./uvw run pyinstaller --noconfirm --log-level WARN build.spec
app=dist/cpaudit/cpaudit
home=$(mktemp -d)
"$app" --version
CPAUDIT_HOME="$home" "$app" --lang en schema > "$home/schema.json"
db=$(CPAUDIT_HOME="$home" "$app" --lang en demo --no-gui | tail -n 1)
audit=$("$app" list --db "$db" | head -n 1 | cut -f1)
out=$(QT_QPA_PLATFORM=offscreen CPAUDIT_SMOKE_TEST=1 CPAUDIT_HOME="$home" "$app" gui --db "$db" --audit "$audit" 2>&1)
echo "$out" | grep -q "smoke: MainWindow shown" || { echo "$out"; echo "packaged GUI did not start"; exit 1; }
echo "packaged app: --version, schema, demo sandbox and GUI smoke OK"
