#!/usr/bin/env bash
# Checks what a build of VERSION produced for Maven Central's rules: every published module has its main, -sources
# and -javadoc jars and a CycloneDX SBOM; its POM (with the parent's) names it, describes it, and carries the
# licence, SCM, developers and URL; the BOM lists exactly the published modules.
#   usage: tools/release/check-artifacts.sh VERSION     (after mvn -B install)
set -euo pipefail
cd "$(dirname "$0")/../.."
version=${1:?usage: $0 VERSION}
published=(annotations:evpnkit-annotations vxlan-codec:vxlan-codec evpn-codec:evpn-codec policy:policy rib:rib
  testkit:testkit)
fail() { echo "check-artifacts: $*" >&2; exit 1; }
for field in '<licenses>' '<name>Apache-2.0</name>' '<scm>' '<developers>' '<url>'; do
  grep -q "$field" pom.xml || fail "the parent POM has no $field"
  grep -q "$field" bom/pom.xml || fail "the BOM has no $field"
done
bom_listed=$(sed -n '/<dependencyManagement>/,/<\/dependencyManagement>/p' bom/pom.xml \
  | grep -o '<artifactId>[a-z-]*</artifactId>' | sed 's/<[^>]*>//g' | sort)
expected=$(for p in "${published[@]}"; do echo "${p#*:}"; done | sort)
[ "$bom_listed" = "$expected" ] || fail "the BOM lists $(echo $bom_listed) instead of $(echo $expected)"
for p in "${published[@]}"; do
  dir=${p%%:*} artifact=${p#*:}
  for suffix in .jar -sources.jar -javadoc.jar -cyclonedx.json; do
    f="$dir/target/$artifact-$version$suffix"
    [ -s "$f" ] || fail "missing $f"
  done
  grep -q '<name>' "$dir/pom.xml" || fail "$dir/pom.xml has no <name>"
  grep -q '<description>' "$dir/pom.xml" || fail "$dir/pom.xml has no <description>"
  sources=$(unzip -Z1 "$dir/target/$artifact-$version-sources.jar")   # whole listings: no SIGPIPE under pipefail
  javadoc=$(unzip -Z1 "$dir/target/$artifact-$version-javadoc.jar")
  grep -q '\.java$' <<<"$sources" || fail "no sources in $artifact"
  grep -q 'index\.html$' <<<"$javadoc" || fail "no javadoc in $artifact"
done
for f in LICENSE NOTICE CHANGELOG.md SECURITY.md CONTRIBUTING.md; do [ -s "$f" ] || fail "missing $f"; done
grep -q "^## \[$version\]" CHANGELOG.md || fail "CHANGELOG.md has no section for $version"
echo "check-artifacts: $version: ${#published[@]} published modules, jars, sources, javadoc, SBOMs and metadata in order"
