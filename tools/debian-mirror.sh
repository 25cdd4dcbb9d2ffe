#!/bin/sh
# debian-mirror.sh - prints the Debian archive URI of the machine's apt
# sources (*.list or deb822 *.sources; not the security archive), for the
# debootstrap labs (lab-trixie-chroot.sh, lab-systemd.sh).  Exit 1 when
# there is none.
m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
    /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -1 |
    tr -d ' ')
[ -n "$m" ] || { echo "debian-mirror: no Debian mirror in apt sources" >&2; exit 1; }
echo "$m"
