#!/bin/bash
# Builds the Debian package of the exporter from a published Native AOT binary, with the standard tools:
# dpkg-shlibdeps for the shared-library dependencies and dpkg-deb --build.
#
#   packaging/deb/build.sh publish/openstack_instance_exporter dist     # prints dist/openstack-instance-exporter_<version>_<arch>.deb
#
# The version is the <Version> of Directory.Build.props (the one place it is set). The package installs the binary to
# /usr/bin, the hardened unit (deploy/openstack_instance_exporter.service, ExecStart moved to /usr/bin) to
# /lib/systemd/system and /etc/default/openstack_instance_exporter (a conffile) for extra flags; its maintainer scripts
# create the system user openstack-instance-exporter and /var/lib/openstack_instance_exporter/feeds.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 <openstack_instance_exporter binary> <output directory>" >&2; exit 2; }
binary=$(realpath "$1")
out=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -x "$binary" ] || { echo "not an executable: $binary" >&2; exit 1; }

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props")
[ -n "$version" ] || { echo "no <Version> in Directory.Build.props" >&2; exit 1; }
arch=$(dpkg --print-architecture)
package=openstack-instance-exporter

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg=$stage/$package
install -D -m 0755 "$binary" "$pkg/usr/bin/openstack_instance_exporter"
install -d -m 0755 "$pkg/lib/systemd/system"
sed 's:/usr/local/bin/openstack_instance_exporter:/usr/bin/openstack_instance_exporter:' \
  "$root/deploy/openstack_instance_exporter.service" > "$pkg/lib/systemd/system/openstack_instance_exporter.service"
chmod 0644 "$pkg/lib/systemd/system/openstack_instance_exporter.service"
grep -q '^ExecStart=/usr/bin/openstack_instance_exporter ' "$pkg/lib/systemd/system/openstack_instance_exporter.service" \
  || { echo "the unit's ExecStart does not name /usr/local/bin/openstack_instance_exporter" >&2; exit 1; }
install -D -m 0644 "$here/default" "$pkg/etc/default/openstack_instance_exporter"
install -D -m 0644 "$here/copyright" "$pkg/usr/share/doc/$package/copyright"
install -D -m 0644 "$root/README.md" "$pkg/usr/share/doc/$package/README.md"
cp -r "$root/deploy/prometheus" "$root/deploy/grafana" "$pkg/usr/share/doc/$package/"
install -D -m 0644 "$root/docs/metrics.md" "$pkg/usr/share/doc/$package/metrics.md"
find "$pkg/usr/share/doc" -type d -exec chmod 0755 {} + && find "$pkg/usr/share/doc" -type f -exec chmod 0644 {} +

# Shared-library dependencies of the binary, as dh_shlibdeps would compute them (it needs a debian/control to run in).
mkdir -p "$stage/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$package" "$package" > "$stage/debian/control"
shlibs=$(cd "$stage" && dpkg-shlibdeps -O -e "$pkg/usr/bin/openstack_instance_exporter" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "dpkg-shlibdeps found no dependencies" >&2; exit 1; }

install -d -m 0755 "$pkg/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" -e "s/@SHLIBS@/$shlibs/" \
  "$here/control.in" > "$pkg/DEBIAN/control"
echo /etc/default/openstack_instance_exporter > "$pkg/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "$here/$script" "$pkg/DEBIAN/$script"
done

mkdir -p "$out"
deb="$out/${package}_${version}_${arch}.deb"
dpkg-deb --build --root-owner-group "$pkg" "$deb" >/dev/null
if command -v lintian >/dev/null; then
  lintian --no-tag-display-limit "$deb" >&2 || true   # advisory: the package is built without debhelper
fi
echo "$deb"
