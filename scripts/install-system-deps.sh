#!/usr/bin/env bash
# Debian packages the browser tests need: Chromium (driven by Playwright) and a CJK font
# so Hangul renders in screenshots, and an emoji font for the page icons; Java 17 for
# Apache Spark (`--engine spark`) and the reference BLAS that Spark MLlib loads (without
# it MLlib warns and falls back to pure-JVM loops); npm (Node.js) for the browser
# libraries the app serves (frontend/). Installs only what is missing; needs root or sudo.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "noto.*cjk" || need+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -qi "color emoji" || need+=(fonts-noto-color-emoji)
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ] 2>/dev/null; then
  need+=(openjdk-17-jre-headless)
fi
ldconfig -p 2>/dev/null | grep -q "libblas.so.3" || need+=(libblas3)
command -v npm >/dev/null || need+=(npm)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v apt-get >/dev/null; then
  echo "install-system-deps: no apt-get here; install ${need[*]} by hand (browser and Spark tests will be skipped)" >&2
  exit 0
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig
