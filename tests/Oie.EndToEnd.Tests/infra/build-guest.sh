#!/bin/bash
# Builds the end-to-end guest's kernel and initramfs into DIR (kept there as a cache: a second run reuses them).
# The guest is a Debian cloud kernel + busybox (both `apt-get download`ed and extracted, not installed) whose init
# loads the virtio modules, takes 10.0.0.5/24 on eth0 and then, every second, reads its first disk (vda), writes its
# second (vdb) and talks to 10.0.0.1 (its peer in the test's network namespace): ICMP ping, a TCP connection, a UDP
# DNS query — so disk, network and conntrack counters all move. Adapted from ../shared/infra/e2e-libvirt-up.sh.
set -euo pipefail
DIR=$1
mkdir -p "$DIR"
cd "$DIR"
[ -f vmlinuz ] && [ -f initrd.gz ] && exit 0
exec 9>"$DIR/.build.lock"
flock 9
[ -f vmlinuz ] && [ -f initrd.gz ] && exit 0
work=$(mktemp -d "$DIR/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download -q linux-image-6.1.0-56-cloud-amd64 busybox-static >/dev/null 2>&1 || \
  apt-get download -q "$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image/{print $2; exit}')" busybox-static
dpkg-deb -x linux-image-*.deb k
dpkg-deb -x busybox-static*.deb bb
mkdir -p root/bin root/proc root/sys root/dev root/mods
cp bb/bin/busybox root/bin/
MODS="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk failover net_failover virtio_net virtio_balloon"
for m in $MODS; do cp "$(find k/lib/modules -name "$m.ko*" | head -1)" root/mods/; done
cat > root/init <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in $MODS; do insmod /mods/\$m.ko 2>/dev/null; done
sleep 1; ip link set lo up; ip link set eth0 up 2>/dev/null; ip addr add 10.0.0.5/24 dev eth0 2>/dev/null
echo "GUEST READY: \$(ls /dev/vd* 2>/dev/null)"
i=0
while true; do i=\$((i+1))
  [ -b /dev/vda ] && dd if=/dev/vda of=/dev/null bs=4096 count=8 skip=\$((i % 4000)) iflag=direct 2>/dev/null
  [ -b /dev/vdb ] && dd if=/dev/zero of=/dev/vdb bs=4096 count=4 seek=\$((i % 2000)) oflag=direct 2>/dev/null
  ping -c1 -W1 10.0.0.1 >/dev/null 2>&1
  (echo oie | timeout 2 nc 10.0.0.1 8080 >/dev/null 2>&1 &)
  (timeout 2 nslookup e2e.test 10.0.0.1 >/dev/null 2>&1 &)
  sleep 1
done
INIT
chmod +x root/init
(cd root && find . | ../bb/bin/busybox cpio -o -H newc 2>/dev/null | gzip -1 > ../initrd.gz)
cp k/boot/vmlinuz-* "$DIR/vmlinuz.tmp" && mv "$DIR/vmlinuz.tmp" "$DIR/vmlinuz"
cp initrd.gz "$DIR/initrd.tmp" && mv "$DIR/initrd.tmp" "$DIR/initrd.gz"
chmod 0644 "$DIR/vmlinuz" "$DIR/initrd.gz"
