#!/usr/bin/env bash
# Makes a Docker engine ready for the Docker runtime's tests on a machine without one (issue #27): installs
# Debian's docker.io and busybox-static when missing, starts dockerd in the background with its data in a
# temporary folder when no engine answers, and builds the local image busybox:latest by `docker import` of a
# tarball of /bin/busybox with its applet links (no image registry is reachable). Run as root.
set -euo pipefail

if ! command -v dockerd >/dev/null 2>&1 || [ ! -x /bin/busybox ]; then
  echo "installing docker.io and busybox-static"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io busybox-static >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
  root=$(mktemp -d /tmp/kubetest-dockerd.XXXXXX)
  echo "starting dockerd (data root $root)"
  nohup dockerd --data-root "$root/data" --exec-root "$root/exec" -p "$root/docker.pid" >"$root/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start:"; tail -20 "$root/dockerd.log"; exit 1; }
fi
if ! docker image inspect busybox:latest >/dev/null 2>&1; then
  echo "building the local image busybox:latest from /bin/busybox"
  tree=$(mktemp -d /tmp/kubetest-busybox.XXXXXX)
  mkdir -p "$tree/bin" "$tree/etc" "$tree/tmp" "$tree/root"
  chmod 1777 "$tree/tmp"
  cp /bin/busybox "$tree/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$tree/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$tree/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$tree/etc/group"
  tar -C "$tree" -c . | docker import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - busybox:latest >/dev/null
  rm -rf "$tree"
fi
docker version --format 'Docker engine {{.Server.Version}} ready; image busybox:latest present'
