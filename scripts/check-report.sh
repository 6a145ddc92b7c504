#!/usr/bin/env bash
# Loads a report.html in headless Chromium and fails (exit 1) when the page logs a console error
# or an uncaught exception, does not render, or lacks its plots; installs chromium when missing.
#   scripts/check-report.sh results/run/report.html
set -euo pipefail
report=${1:?usage: scripts/check-report.sh REPORT.html}
[ -f "$report" ] || { echo "check-report: no such file: $report" >&2; exit 64; }
if ! command -v chromium >/dev/null 2>&1; then
    SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "check-report: installing chromium" >&2
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
url="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
# --enable-logging=stderr --v=0 prints the page's console messages as "CONSOLE(...)" lines.
timeout 60 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$work/profile" \
    --enable-logging=stderr --v=0 --dump-dom "$url" >"$work/dom.html" 2>"$work/log.txt" || {
    echo "check-report: chromium failed on $report:" >&2; tail -20 "$work/log.txt" >&2; exit 1; }
if grep -E 'CONSOLE|Uncaught|ERROR:.*(Failed to load|net::ERR)' "$work/log.txt" | grep -v -E 'dbus|gpu|GPU|sandbox|Fontconfig|gcm|ALSA|viz' >"$work/errors.txt"; then
    echo "check-report: $report logged errors:" >&2; cat "$work/errors.txt" >&2; exit 1
fi
grep -q '<h1>QNetLab report</h1>' "$work/dom.html" || { echo "check-report: $report did not render (no heading in the DOM)" >&2; exit 1; }
svgs=$(grep -o '<svg' "$work/dom.html" | wc -l)
[ "$svgs" -gt 0 ] || { echo "check-report: $report has no plot" >&2; exit 1; }
echo "check-report: $report: ok ($svgs plots, $(grep -o 'class="point"' "$work/dom.html" | wc -l) sweep markers, no console errors)"
