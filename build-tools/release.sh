#!/usr/bin/env bash
# Cuts a release: bumps the version (semver: major, minor or patch), adds the
# conventional commits since the last release to CHANGELOG.md, records the
# released API as the jsii-diff baseline (compat/last-release), commits and
# tags vX.Y.Z. See RELEASING.md.
#   npm run release -- minor
set -euo pipefail
cd "$(dirname "$0")/.."
level="${1:?usage: npm run release -- major|minor|patch}"
[ -z "$(git status --porcelain)" ] || { echo "the work tree has changes; commit them first" >&2; exit 1; }

current=$(node -p "require('./package.json').version")
next=$(node -e '
  const [maj, min, pat] = process.argv[1].split(".").map(Number);
  const level = process.argv[2];
  const v = level === "major" ? [maj + 1, 0, 0] : level === "minor" ? [maj, min + 1, 0] : level === "patch" ? [maj, min, pat + 1] : null;
  if (!v) { console.error("level must be major, minor or patch"); process.exit(1); }
  console.log(v.join("."));' "$current" "$level")

sed -i "s/project.package.addVersion('$current');/project.package.addVersion('$next');/" .projenrc.ts
grep -q "addVersion('$next')" .projenrc.ts
npx projen
npx projen compile

# The released API is the baseline the compat task compares with.
rm -rf compat/last-release && mkdir -p compat/last-release
cp .jsii compat/last-release/assembly.json
node -e '
  const p = require("./package.json");
  const base = { name: p.name, version: p.version, jsii: p.jsii, peerDependencies: p.peerDependencies };
  require("fs").writeFileSync("compat/last-release/package.json", JSON.stringify(base, null, 2) + "\n");'

# The changelog: conventional commit subjects since the last tag, by type.
range=HEAD
if last=$(git describe --tags --abbrev=0 --match 'v*' 2>/dev/null); then range="$last..HEAD"; fi
{
  echo "## $next ($(date -u +%Y-%m-%d))"
  git log --format='%s%n%b%x00' "$range" | node -e '
    const commits = require("fs").readFileSync(0, "utf8").split("\0").map(c => c.trim()).filter(Boolean);
    const groups = { "Breaking changes": [], "Features": [], "Fixes": [], "Other changes": [] };
    for (const c of commits) {
      const subject = c.split("\n")[0];
      const m = /^(\w+)(\([^)]*\))?(!)?: (.*)$/.exec(subject);
      if (m && (m[3] || /BREAKING CHANGE:/.test(c))) groups["Breaking changes"].push(m[4]);
      else if (m && m[1] === "feat") groups["Features"].push(m[4]);
      else if (m && m[1] === "fix") groups["Fixes"].push(m[4]);
      else if (!/^chore\(release\)/.test(subject)) groups["Other changes"].push(subject);
    }
    for (const [title, list] of Object.entries(groups)) {
      if (list.length) console.log(`\n### ${title}\n\n${list.map(s => `- ${s}`).join("\n")}`);
    }'
  echo
  [ -f CHANGELOG.md ] && cat CHANGELOG.md
} > .tmp-changelog && mv .tmp-changelog CHANGELOG.md

git add -A .projenrc.ts package.json package-lock.json CHANGELOG.md compat/last-release
git commit -q -m "chore(release): $next"
git tag "v$next"
echo "released $next: push the commit and the tag v$next, then publish dist-packages/ (npm run package-all)"
