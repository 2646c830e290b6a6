#!/usr/bin/env bash
# Checks the running local registry for every expected repository:tag and
# that each carries the stand-in labels. Fails naming what is missing.
#
# Usage: scripts/images/verify.sh [tutorial|exercise|cluster|all]   (default: all)
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

group=${1:-all}
registry_up || { echo "[verify] error: no registry answers on $IMAGES_REGISTRY_URL/v2/ (scripts/images/registry.sh start)" >&2; exit 1; }

accept='application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
missing=() bad=() n=0
mapfile -t wanted < <(all_images "$group")
for line in "${wanted[@]}"; do
  read -r _ repo tag upstream <<<"$line"
  n=$((n + 1))
  digest=$(registry_digest "$repo" "$tag")
  if [[ -z $digest ]]; then
    printf '  MISSING  %-66s (stand-in for %s)\n' "$IMAGES_REGISTRY/$repo:$tag" "$upstream"
    missing+=("$repo:$tag")
    continue
  fi
  manifest=$(curl -fsS --max-time 10 -H "Accept: $accept" "$IMAGES_REGISTRY_URL/v2/$repo/manifests/$tag")
  cdigest=$(jq -r .config.digest <<<"$manifest")
  size=$(jq '[.config.size] + [.layers[].size] | add' <<<"$manifest")
  stand_in=$(curl -fsS --max-time 10 "$IMAGES_REGISTRY_URL/v2/$repo/blobs/$cdigest" |
    jq -r '.config.Labels["io.tutorial-e2e.stand-in-for"] // empty')
  if [[ $stand_in != "$upstream" ]]; then
    printf '  BAD      %-66s label io.tutorial-e2e.stand-in-for=%s, want %s\n' "$IMAGES_REGISTRY/$repo:$tag" "${stand_in:-<none>}" "$upstream"
    bad+=("$repo:$tag")
    continue
  fi
  printf '  ok       %-66s %6.1f MiB  %s\n' "$IMAGES_REGISTRY/$repo:$tag" "$(awk -v s="$size" 'BEGIN { print s / 1048576 }')" "${digest:0:19}"
done

if ((${#missing[@]} + ${#bad[@]})); then
  ((${#missing[@]})) && echo "[verify] missing ${#missing[@]} of $n: ${missing[*]}" >&2
  ((${#bad[@]})) && echo "[verify] wrong labels on ${#bad[@]}: ${bad[*]}" >&2
  echo "[verify] (build with scripts/images/build.sh $group)" >&2
  exit 1
fi
echo "[verify] all $n $group images present in $IMAGES_REGISTRY"
