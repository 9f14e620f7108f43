#!/usr/bin/env bash
# Builds a local stand-in for Airbyte's Java connector base image, for machines that cannot pull
# docker.io/airbyte/java-connector-base: a minimal Debian root (debootstrap, from Debian's packages)
# with a Java 17 runtime, laid out as that base is (an `airbyte` user and group with id 1000, owning
# /airbyte, /config and /secrets), imported into podman as the image named by $1.
#
# Usage: images/build-local-base.sh [IMAGE]   (default: localhost/destkit-java-base:bookworm)
# Needs root, debootstrap and podman (apt-get install -y debootstrap podman runc). Environment:
#   DEBIAN_MIRROR   the Debian mirror debootstrap reads (default http://deb.debian.org/debian)
#   PODMAN          the podman command (default: podman)
# An image of that name that already exists is kept: remove it to build afresh.
set -euo pipefail
image="${1:-localhost/destkit-java-base:bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
podman_cmd=(${PODMAN:-podman})

if "${podman_cmd[@]}" image exists "$image"; then
  echo "$image exists; keeping it." >&2
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/root"

# minbase: essential packages only; the JRE brings its own dependencies (CA certificates included).
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates bookworm "$root" "$mirror" >&2

chroot "$root" /bin/sh -eu <<'SETUP'
groupadd --gid 1000 airbyte
useradd --uid 1000 --gid airbyte --shell /bin/bash --create-home airbyte
mkdir -p /airbyte /config /secrets
chmod 755 /airbyte
chown airbyte:airbyte /airbyte /config /secrets
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /usr/share/doc/* /usr/share/man/* /usr/share/locale/*
SETUP

tar -C "$root" -c . | "${podman_cmd[@]}" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'WORKDIR /airbyte' \
  --change 'CMD ["/bin/bash"]' \
  - "$image" >&2
echo "$image"
