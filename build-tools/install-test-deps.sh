#!/usr/bin/env bash
# Installs the Debian packages the tests need, when they are missing: the
# CNI plugins, cloud-init (its schema check), Graphviz (the topology picture),
# librsvg2-bin and tesseract-ocr (render that picture to PNG and read it
# back), iproute2 (network namespaces), iptables, netcat-openbsd and
# iputils-ping (the MultiNetworkPolicy traffic test and the data-plane pass),
# isc-dhcp-client (the data-plane pass's guests take their addresses from
# KubeVirt's DHCP server with dhclient), and openssh-client (the SSH key types
# the installed OpenSSH accepts).
# Uses sudo when not run as root. Run by `npm test` before anything else.
set -euo pipefail
need=()
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
command -v cloud-init >/dev/null 2>&1 || need+=(cloud-init)
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v rsvg-convert >/dev/null 2>&1 || need+=(librsvg2-bin)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
command -v nc >/dev/null 2>&1 || need+=(netcat-openbsd)
command -v ping >/dev/null 2>&1 || need+=(iputils-ping)
command -v dhclient >/dev/null 2>&1 || need+=(isc-dhcp-client)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
[ "${#need[@]}" -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "the tests need ${need[*]} (Debian package names); install them and run again" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
echo "installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
