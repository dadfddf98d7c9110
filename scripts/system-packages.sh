#!/usr/bin/env bash
# Make sure Debian packages are present. Each argument is PACKAGE:CHECK, where CHECK is a file
# that must exist or a command that must be found. As root, missing packages are installed with
# apt-get; otherwise the exact command to run is printed and the script stops.
set -euo pipefail

missing=()
for spec in "$@"; do
  package=${spec%%:*}
  check=${spec#*:}
  if [[ $check == /* ]]; then
    [[ -e $check ]] && continue
  elif [[ $check == initdb ]]; then
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && continue
  else
    command -v "$check" >/dev/null 2>&1 && continue
  fi
  missing+=("$package")
done

[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Coproduce needs these Debian packages: ${missing[*]}." >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
