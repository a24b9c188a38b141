#!/bin/sh
# The image's entrypoint: authlab with the extra CA bundle the image was built with (if any).
# A command that starts containers must see the host's process ids (--pid host): every container,
# network and volume it makes carries its process id, and a sweep by any authlab process removes
# those whose process is gone; in a pid namespace of its own, every process here looks gone to the
# host and the host's to it. `$$` is 1 only in a pid namespace of its own.
case "${1:-}" in
  ''|-h|--help|help|doctor|inspect-key|diff|list) ;;
  *) if [ "$$" = 1 ]; then
       echo "authlab: run this image with --pid host (and --network host, and the Docker socket mounted): docs/install.md" >&2
       exit 2
     fi ;;
esac
# This container's id (its resolv.conf comes from the engine's folder for it): the mock APIs'
# container takes the package from this container's /opt/authlab volume (provider-container.ts).
AUTHLAB_PACKAGE_CONTAINER=$(grep -o '/containers/[0-9a-f]\{64\}/' /proc/self/mountinfo | head -n 1 | cut -d/ -f3)
export AUTHLAB_PACKAGE_CONTAINER
CA=/etc/ssl/certs/authlab-ca.crt
if [ -s "$CA" ]; then export npm_config_cafile="${npm_config_cafile:-$CA}" NODE_EXTRA_CA_CERTS="${NODE_EXTRA_CA_CERTS:-$CA}"; fi
exec node /opt/authlab/bin/authlab.js "$@"
