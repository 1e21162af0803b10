#!/bin/bash
# ClusterFuzzLite builds exactly as OSS-Fuzz does: same variables, same outputs in $OUT.
set -euo pipefail
exec "$SRC/smapi/ci/oss-fuzz/build.sh"
