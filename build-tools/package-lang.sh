#!/usr/bin/env bash
# Builds the Java or the Go package into dist-packages/ (package:java,
# package:go). Both depend on cdk8s-plus-33, whose Maven artifact and Go
# module (and cdk8s's Go module) the registries this is built with do not
# serve, so they are built here from the jsii assemblies their npm packages
# ship, for this build only; dist-packages/ keeps only this library's package.
#   bash build-tools/package-lang.sh java|go
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
lang=$1
work=.tmp/package-$lang
rm -rf "$work" "dist-packages/$lang"
mkdir -p "$work" dist-packages

case "$lang" in
  go)
    # one jsii-pacmak run builds the three modules, the library's against
    # the other two (it replaces them with its own output while building)
    npx jsii-pacmak -v --target go -o "$work" node_modules/cdk8s node_modules/cdk8s-plus-33 .
    mkdir -p dist-packages/go
    mv "$work/go/cdk8skubevirt" dist-packages/go/
    ;;
  java)
    # cdk8s-plus-33 is deployed to a file repository of this build (its id
    # is not "local": with that id, deploy leaves metadata in the local
    # Maven repository that makes Maven believe the jar is installed), the
    # library is built against it and deployed, with its sources and
    # javadoc, to dist-packages/java: a Maven repository, the layout
    # jsii-pacmak writes
    repo="file://$root/$work/repository"
    npx jsii-pacmak --target java --code-only -o "$work/deps" node_modules/cdk8s-plus-33
    npx jsii-pacmak --target java --code-only -o "$work/library" .
    mvnq() { mvn -q -B "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'; }
    forget() { rm -rf "$HOME/.m2/repository/org/cdk8s/cdk8s-plus-33" "$HOME/.m2/repository/io/github/cdk8s-kubevirt"; }
    trap forget EXIT
    (cd "$work/deps/java" && mvnq deploy -Dmaven.install.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
      -DaltDeploymentRepository="bindings::default::$repo")
    (cd "$work/library/java" && BINDINGS_MAVEN_REPO="$repo" mvnq -s "$root/test/bindings/java/settings.xml" deploy \
      -Dmaven.install.skip=true -DaltDeploymentRepository="bindings::default::file://$root/dist-packages/java")
    ;;
  *) echo "usage: $0 java|go" >&2; exit 2 ;;
esac
find "dist-packages/$lang" -maxdepth 6 \( -name '*.jar' -o -name 'go.mod' \) | sort
