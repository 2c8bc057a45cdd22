"""Debian's chromium as the browser tests start it: no sandbox (root in CI), no background traffic."""

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run"]
