# Sourced by the scripts of .github/workflows/: where the checkout is, and the CLI run from it.
# Paths a script is given (AUTHLAB_OUT, ...) are taken from the directory it runs in, as a
# workflow step's are; the project's own files from the checkout the script lives in.
repo="$(cd -P "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
say() { echo "ci: $*" >&2; }
# An absolute path (bootstrap.sh runs the command from the checkout's root).
absolute() { realpath -m -- "$1"; }
# Node from the checkout's .tools/ when bootstrap.sh put it there, else the runner's.
run_node() { PATH="$repo/.tools/node_modules/.bin:$PATH" node "$@"; }
# `authlab <args>` from the checkout, after bootstrap.sh has made sure of what the command needs.
authlab() { bash "$repo/scripts/bootstrap.sh" node -- bin/authlab.js "$@"; }
