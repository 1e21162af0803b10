#!/bin/bash
# Runs a command in a Debian 12 container, as root, with this checkout mounted as the working
# directory: how the jobs in .github/workflows/ci.yml get the project's own platform (Debian 12,
# clang 14) on a hosted runner. The ci/ scripts install what they miss with apt-get.
#
#   ci/in-debian.sh ci/sanitizers.sh tsan
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# clang 14's ASan and TSan runtimes can't map their shadow memory when the kernel randomises
# mmap with more than 28 bits (newer hosted runners use 32); the setting is the host's.
bits="$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 28)"
if ((bits > 28)); then
  sudo sysctl -w vm.mmap_rnd_bits=28
fi

exec docker run --rm --init -e CI -v "$repo:/src" -w /src debian:12 "$@"
