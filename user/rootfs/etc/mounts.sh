# Sourced by /init and the test runner: mounts what the kernel has not
# (Kite mounts devtmpfs and proc itself; Linux mounts nothing for an
# initramfs).  Quiet when all is there; sysfs is optional (Kite has none).
[ -e /proc/self ] || mount -t proc proc /proc
grep -q '^[^ ]* /dev ' /proc/mounts || mount -t devtmpfs devtmpfs /dev
grep -q '^[^ ]* /sys ' /proc/mounts || mount -t sysfs sysfs /sys 2>/dev/null
[ -n "$(hostname)" ] && [ "$(hostname)" != '(none)' ] || hostname -F /etc/hostname
