#!/usr/bin/env bash
# The quick tier of `make test-fast`: every test that needs neither a browser nor a served
# process, run as two pytest processes side by side (one a core), each with its own data
# directory and test database. Each one's report is printed when it ends; the exit code is the
# worse of the two. Usage: scripts/test-fast.sh DATA_DIR [pytest options...]
set -uo pipefail
data_dir="$1"
shift
marks="not browser and not served"
# The command-line tests start `coproduce` as a process many times: they make one half.
first=(tests/test_cli.py)
rest=(tests --ignore=tests/test_cli.py)
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
COPRODUCE_DATA_DIR="$data_dir-1" .venv/bin/pytest -m "$marks" "$@" "${first[@]}" >"$logs/1" 2>&1 &
one=$!
COPRODUCE_DATA_DIR="$data_dir-2" .venv/bin/pytest -m "$marks" "$@" "${rest[@]}" >"$logs/2" 2>&1 &
two=$!
wait "$one"
first_status=$?
wait "$two"
second_status=$?
echo "== tests/test_cli.py"
cat "$logs/1"
echo "== the rest"
cat "$logs/2"
# pytest's 5 means "no tests collected": a real failure here, as for any other non-zero status.
exit $((first_status > second_status ? first_status : second_status))
