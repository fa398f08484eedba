module github.com/cdk8s-kubevirt/cdk8s-kubevirt/test/bindings/go

go 1.25.0

require (
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/cdk8s-kubevirt/cdk8s-kubevirt-go/cdk8skubevirt v0.0.0
	github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 v2.70.0
	github.com/cdk8s-team/cdk8s-plus-go/cdk8splus33/v2 v2.5.57
)

require (
	github.com/Masterminds/semver/v3 v3.5.0 // indirect
	github.com/aws/constructs-go/constructs/v10 v10.8.1 // indirect
)

// The Go modules of cdk8s and cdk8s-plus-33 are not served by the module
// proxy this is built with: jsii-pacmak generates them from the jsii
// assemblies their npm packages ship, as it generates this library's
// module (test/bindings/run.sh and go.sh), and these lines point at the
// generated directories.
replace (
	github.com/cdk8s-kubevirt/cdk8s-kubevirt-go/cdk8skubevirt => ../../../dist-packages/go/cdk8skubevirt
	github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 => ../../../.tmp/bindings/deps/go/cdk8s
	github.com/cdk8s-team/cdk8s-plus-go/cdk8splus33/v2 => ../../../.tmp/bindings/deps/go/cdk8splus33
)
