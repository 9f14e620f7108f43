#!/usr/bin/env bash
# Builds one destination's image from the shaded jar Maven made, tagged as its metadata.yaml says
# (dockerRepository:dockerImageTag), and prints the tag.
#
# Usage: images/build-image.sh MODULE [BASE_IMAGE]
#   MODULE       destination-duckdb, destination-postgres or destination-iceberg
#   BASE_IMAGE   replaces the Dockerfile's default (Airbyte's pinned Java connector base), e.g. the
#                local base images/build-local-base.sh makes
# Environment: BUILDER, the build command (default: podman if installed, else docker).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="${1:?usage: images/build-image.sh MODULE [BASE_IMAGE]}"
base="${2:-}"
if [ -z "${BUILDER:-}" ]; then
  if command -v podman >/dev/null; then BUILDER=podman; else BUILDER=docker; fi
fi

jar="$root/$module/target/$module.jar"
if [ ! -f "$jar" ]; then
  echo "$jar is missing: run 'mvn -B -pl $module -am package' first." >&2
  exit 1
fi
field() { sed -n "s/^  $1: *//p" "$root/$module/metadata.yaml"; }
tag="$(field dockerRepository):$(field dockerImageTag)"

args=(build -f "$module/Dockerfile" -t "$tag")
[ -n "$base" ] && args+=(--build-arg "BASE_IMAGE=$base")
# shellcheck disable=SC2086  # BUILDER may carry options (podman --runtime ...)
(cd "$root" && $BUILDER "${args[@]}" .) >&2
echo "$tag"
