#!/usr/bin/env bash
# Makes a release on the current branch: sets VERSION in every POM, builds and tests, checks the artifacts, commits
# "Release VERSION" with an annotated tag vVERSION, then sets NEXT (a -SNAPSHOT) and commits. Signs and uploads
# nothing: deploy from the tag with  git checkout vVERSION && mvn -B -Prelease deploy -Devpnkit.deploy.url=URL
#   usage: tools/release/release.sh VERSION NEXT       e.g. 0.1.0 0.2.0-SNAPSHOT
set -euo pipefail
cd "$(dirname "$0")/../.."
version=${1:?usage: $0 VERSION NEXT} next=${2:?usage: $0 VERSION NEXT}
[ -z "$(git status --porcelain)" ] || { echo "release: the working tree is not clean" >&2; exit 1; }
current=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' pom.xml | head -1)
set_version() { # from to: the project version of every POM (evpnkit's are the only -SNAPSHOT or release versions of
  # its own there; dependencies carry ${project.version} or properties)
  git ls-files '*pom.xml' | xargs sed -i "s|<version>$1</version>|<version>$2</version>|g"
}
set_version "$current" "$version"
mvn -B clean verify
mvn -B -q install -DskipTests
tools/release/check-artifacts.sh "$version"
git commit -q -am "Release $version"
git tag -a "v$version" -m "evpnkit $version"
set_version "$version" "$next"
git commit -q -am "Start $next"
echo "release: tagged v$version; main is at $next. Deploy: git checkout v$version && mvn -B -Prelease deploy -Devpnkit.deploy.url=URL"
