#!/usr/bin/env bash
# System packages that the real-component tests need (drivers: podman, runc, busybox, JVM,
# qemu, CNI plugins; curl for the container engine's health check; util-linux's pivot_root for
# exec). Installed from Debian when missing; a no-op on a machine that has them. `npm test` runs
# it (scripts/test.mjs), as does CI.
set -uo pipefail
need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v java >/dev/null || need+=(default-jre-headless)
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
command -v ip >/dev/null || need+=(iproute2)
# promtool checks the agent's /v1/metrics?format=prometheus output.
command -v promtool >/dev/null || need+=(prometheus)
command -v curl >/dev/null || need+=(curl)
[ -x /usr/sbin/pivot_root ] || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing system packages: ${need[*]}"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}") >/dev/null 2>&1 \
      || echo "WARNING: could not install ${need[*]}: tests that need them will say so and fail"
  else
    echo "WARNING: not root, cannot install ${need[*]}: tests that need them will say so and fail"
  fi
fi
