#!/usr/bin/env bash
# Installs everything keypolicy and its tests need on a fresh machine, then the npm dependencies.
# On Debian/Ubuntu as root it installs what is missing with apt-get: Chromium and its headless shell (for PDF), fonts
# (Liberation for the documents, Noto for other scripts and emoji),
# LibreOffice Writer (the tests open every DOCX in it), poppler/qpdf (the tests read PDFs back) and procps.
# Elsewhere it says what to install. It never downloads a browser of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
# PDF: Debian's Chromium, and its headless shell, which keypolicy prefers (Chromium's rendering and
# printing without the desktop browser: half the start-up time and CPU per document).
have_shell() {
  [ -n "${KEYPOLICY_BROWSER:-}" ] || [ -x /usr/lib/chromium/chromium-headless-shell ] ||
    command -v chromium-headless-shell >/dev/null 2>&1
}
have_browser() {
  [ -n "${KEYPOLICY_BROWSER:-}" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ||
    command -v google-chrome-stable >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1
}
have_browser || missing+=(chromium)
have_shell || missing+=(chromium-headless-shell)
fc-list 2>/dev/null | grep -qi 'Liberation Sans' || missing+=(fonts-liberation2 fonts-dejavu-core)
# Text in other scripts (Devanagari, Arabic, Chinese…) and emoji: drawn by Noto rather than lost as boxes.
fc-list 2>/dev/null | grep -qi 'Noto Sans Devanagari' || missing+=(fonts-noto-core)
fc-list 2>/dev/null | grep -qi 'Noto Color Emoji' || missing+=(fonts-noto-color-emoji)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
command -v pgrep >/dev/null 2>&1 || missing+=(procps)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Releases without the headless shell (Ubuntu, older Debian) make do with the full browser.
    if ! apt-cache show chromium-headless-shell >/dev/null 2>&1; then
      others=()
      for package in "${missing[@]}"; do [ "$package" = chromium-headless-shell ] || others+=("$package"); done
      missing=("${others[@]}")
    fi
    if [ "${#missing[@]}" -gt 0 ]; then
      echo "setup: installing ${missing[*]} with apt-get"
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
  elif [ "${missing[*]}" = chromium-headless-shell ]; then
    echo "setup: PDFs are made faster with Debian's headless shell: sudo apt-get install chromium-headless-shell"
  else
    echo "setup: please install ${missing[*]} (for example: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

npm ci --no-audit --no-fund
