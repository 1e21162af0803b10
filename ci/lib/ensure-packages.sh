# Sourced by the ci/ scripts: installs the Debian packages that are missing, when run as root.
#
#   smapi_ensure_packages WHAT:PACKAGE ...
#
# WHAT is a command looked up on PATH, or an absolute path or glob that must match a file.
# Only the packages whose WHAT is missing are installed; apt-get update runs once, and only if
# something is missing. Not root and something missing: says what to install and fails.

smapi_ensure_packages() {
  local pair what package missing=()
  for pair in "$@"; do
    what="${pair%%:*}"
    package="${pair#*:}"
    if [[ "$what" == /* ]]; then
      compgen -G "$what" >/dev/null || missing+=("$package")
    else
      command -v "$what" >/dev/null 2>&1 || missing+=("$package")
    fi
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ "$(id -u)" != 0 ]]; then
    echo "missing packages: ${missing[*]} (install them, or run this script as root)" >&2
    return 1
  fi
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# The LLVM tool (llvm-cov, llvm-profdata, ...) that matches clang's major version, so that the
# profile and coverage formats agree; falls back to the unversioned name.
smapi_llvm_tool() {
  local major
  major="$(clang --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n1)"
  if [[ -n "$major" ]] && command -v "$1-$major" >/dev/null 2>&1; then
    echo "$1-$major"
  else
    echo "$1"
  fi
}
