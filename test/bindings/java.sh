#!/usr/bin/env bash
# Java: Maven Central serves cdk8s, constructs and the jsii runtime but not
# cdk8s-plus-33, so jsii-pacmak generates its Java package from the jsii
# assembly its npm package ships, as it generates this library's. Both are
# built and deployed to a file repository under .tmp (never installed into
# the local Maven repository), and the Java ports of the programs, built
# against it, must synthesize byte-identical manifests. Run by run.sh
# (after it generated dist-packages/java).
#   BINDINGS_MAVEN_LOCAL=<dir>: use that local repository (an empty one
#   measures a cold build)
source "$(dirname "$0")/lib.sh"
start=$(now)
rm -rf "$OUT/java" "$OUT/java-target" "$OUT/maven-repo" "$OUT/deps/java"
mkdir -p "$OUT/java" "$OUT/maven-repo"
LOCAL_REPO=${BINDINGS_MAVEN_LOCAL:-$HOME/.m2/repository}
ROOT=$PWD
export BINDINGS_MAVEN_REPO="file://$ROOT/$OUT/maven-repo"
# quiet Maven; Maven 3.8 still prints colour resets, which are dropped
mvnq() {
  mvn -q -B -s "$ROOT/test/bindings/java/settings.xml" -Dmaven.repo.local="$LOCAL_REPO" "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
}
# what is built here must never be taken from the local repository: a run
# that forgot to build it has to fail, so it is removed before and after
# (deploy leaves its metadata there too)
forget() { rm -rf "$LOCAL_REPO/org/cdk8s/cdk8s-plus-33" "$LOCAL_REPO/io/github/cdk8s-kubevirt"; }
forget
trap forget EXIT
# deploy to the file repository; its id is not "local", which would make
# Maven take the deploy metadata for an installed jar
deploy() {
  (cd "$1" && mvnq deploy -Dmaven.install.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
    -DaltDeploymentRepository="bindings::default::$BINDINGS_MAVEN_REPO")
}

t=$(now)
npx jsii-pacmak --target java --code-only -o "$OUT/deps" node_modules/cdk8s-plus-33
deploy "$OUT/deps/java"
test -f "$OUT/maven-repo/org/cdk8s/cdk8s-plus-33/$(pin cdk8s-plus-33)/cdk8s-plus-33-$(pin cdk8s-plus-33).jar"
step "java: cdk8s-plus-33 package (jsii-pacmak, mvn deploy)" "$t"

t=$(now)
deploy dist-packages/java
version=$(node -p "require('./package.json').version")
test -f "$OUT/maven-repo/io/github/cdk8s-kubevirt/cdk8s-kubevirt/$version/cdk8s-kubevirt-$version.jar"
step "java: cdk8s-kubevirt package (mvn deploy)" "$t"

# the README shows the Java quickstart exactly as it runs here
diff test/bindings/java/src/main/java/Quickstart.java <(readme_block java)

t=$(now)
versions=(-Dlibrary.version="$version" -Dcdk8s.version="$(pin cdk8s)" -Dcdk8s-plus.version="$(pin cdk8s-plus-33)"
  -Dconstructs.version="$(pin constructs)")
(cd test/bindings/java && mvnq package dependency:build-classpath "${versions[@]}" \
  -Dmdep.outputFile="$ROOT/$OUT/java.classpath")
step "java: programs built" "$t"

t=$(now)
CP="$OUT/java-target/classes:$(cat "$OUT/java.classpath")"
CDK8S_OUTDIR="$OUT/java/quickstart" java -cp "$CP" Quickstart 2>"$OUT/java/quickstart.plan"
CDK8S_OUTDIR="$OUT/java/tenants-with-storage" java -cp "$CP" TenantsWithStorage
CDK8S_OUTDIR="$OUT/java/disks-and-performance" java -cp "$CP" DisksAndPerformance
step "java: programs" "$t"
compare java
step "java: total" "$start"
