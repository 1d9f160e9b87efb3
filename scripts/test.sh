#!/bin/bash
# The whole test suite: the Native AOT publish, which must produce openstack_instance_exporter with zero trim/AOT
# warnings, a smoke run of that binary and a small run of the scale harness with it (bench/scale/smoke.sh); then unit
# and real-component tests (real libvirt.so.0 test driver, real HTTP, real promtool, and deployment tests that run the
# published binary). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 SNAPSHOOTER_STRICT_MODE=${SNAPSHOOTER_STRICT_MODE:-true}

log=$(mktemp)
status=0
# The AOT binary comes first: deployment tests (end to end, .deb) run exactly this binary.
echo "== Native AOT publish (warnings are errors)"
rm -rf publish
if dotnet publish src/Oie.Host -c Release -r linux-x64 -o publish -warnaserror -nologo 2>&1 | tee "$log"; then
  export OIE_EXPORTER_BINARY="$PWD/publish/openstack_instance_exporter"
  ./scripts/smoke.sh publish/openstack_instance_exporter 2>&1 | tee -a "$log" || status=1
  bash bench/scale/smoke.sh publish/openstack_instance_exporter 2>&1 | tee -a "$log" || status=1
else
  echo "Failed!  - AOT publish had warnings or errors" | tee -a "$log"; status=1
fi

dotnet test Oie.slnx -c Release 2>&1 | tee -a "$log" || status=$?
# A plugin's folder may hold its own tests (src/Oie.Feeds.Foo/tests/…, as samples/Oie.Feeds.Sample does): adding a
# feed is its folder and its plugins.json line, so run the folder tests the solution does not list.
for project in src/*/tests/*/*.csproj samples/*/tests/*/*.csproj; do
  [ -e "$project" ] || continue
  grep -qF "$(basename "$project")" Oie.slnx && continue
  dotnet test "$project" -c Release 2>&1 | tee -a "$log" || status=$?
done

# The code style of .editorconfig: `dotnet format Oie.slnx --severity warn` applies it; here a file that drifted fails.
echo "== dotnet format --verify-no-changes (.editorconfig)"
format_rc=0
format_out=$(dotnet format Oie.slnx --verify-no-changes --severity warn 2>&1) || format_rc=$?
printf '%s\n' "$format_out" | tee -a "$log"
if [ "$format_rc" -ne 0 ]; then
  echo "Failed!  - dotnet format found files that do not follow .editorconfig (run: dotnet format Oie.slnx --severity warn)" | tee -a "$log"; status=1
fi

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
grep -q '^Failed!' "$log" && [ "$failed" -eq 0 ] && failed=1
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "$passed passed, $failed failed"
exit $(( status != 0 || failed != 0 ))
