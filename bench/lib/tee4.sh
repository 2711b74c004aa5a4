# SPDX-License-Identifier: MIT
# bench/lib/tee4.sh TOOL - the four questions (errors, tenant-volume,
# latency, rate-limited) answered by TOOL's pipelines from one read of $F:
# tee feeds three named pipes and the fourth pipeline. Answers go to
# $OUTP.<question>.
set -o pipefail
t=$1
d=$(mktemp -d) || exit 1
trap 'rm -rf "$d"' EXIT
mkfifo "$d/errors" "$d/tenant-volume" "$d/latency" || exit 1
for q in errors tenant-volume latency; do
	bash -o pipefail "$LIB/pipelines/$t.$q.sh" < "$d/$q" > "$OUTP.$q" &
done
tee "$d/errors" "$d/tenant-volume" "$d/latency" < "$F" |
	bash -o pipefail "$LIB/pipelines/$t.rate-limited.sh" > "$OUTP.rate-limited"
rc=$?
for j in $(jobs -p); do
	wait "$j" || rc=1
done
exit $rc
