import { cdk8s, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-kubevirt',
  description: 'cdk8s constructs that describe a whole KubeVirt cluster: controllers, Multus networks, golden images and VM fleets',
  author: 'cdk8s-kubevirt maintainers',
  authorAddress: 'maintainers@users.noreply.h-seed-2dffe511.example',
  repositoryUrl: 'https://github.com/cdk8s-kubevirt/cdk8s-kubevirt.git',
  defaultReleaseBranch: 'main',
  keywords: ['cdk8s', 'kubevirt', 'cdi', 'multus', 'whereabouts', 'virtual-machines', 'kubernetes'],

  packageManager: javascript.NodePackageManager.NPM,
  // dist/ holds the synthesized example cluster; packages go elsewhere.
  artifactsDirectory: 'dist-packages',
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.8.1',
  peerDeps: ['cdk8s-plus-33@^2.5.57'],
  // Node versions: see "Node versions" in README.md (CI runs the oldest).
  minNodeVersion: '20.0.0',

  // jsii targets: the same library for Python, Java and Go (pacmak builds
  // them; test/bindings runs a program in each language against them).
  publishToPypi: {
    distName: 'cdk8s-kubevirt',
    module: 'cdk8s_kubevirt',
  },
  publishToMaven: {
    mavenGroupId: 'io.github.cdk8s-kubevirt',
    mavenArtifactId: 'cdk8s-kubevirt',
    javaPackage: 'io.github.cdk8skubevirt',
  },
  publishToGo: {
    moduleName: 'github.com/cdk8s-kubevirt/cdk8s-kubevirt-go',
  },
  devDeps: [
    'typescript@~6.0.0',
    '@types/node@^20',
    'ajv@^8.17.0',
    'yaml@^2.8.0',
    'fast-check@^4.3.0',
    'cdk8s-cli@^2.200.0',
    // reads the upstream MultiNetworkPolicy CRD, whose indentation the strict yaml parser refuses
    'js-yaml@^4.1.0',
  ],

  // No hosted CI or release automation: .ci/run is the pipeline.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  eslintOptions: {
    // `npx projen eslint` (and so `npm test`) only reports; `npm run lint:fix` fixes.
    commandOptions: { fix: false },
    dirs: ['src'],
    devdirs: ['test', 'examples', 'benchmarks', 'build-tools', 'projenrc'],
  },

  jestOptions: {
    updateSnapshot: UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      // The suites that need root, Go or Rust run in `npm run test:conformance`
      // (test/conformance/run.sh), not in `npm test`.
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '/lib/', '/test/conformance/cni/', '/test/conformance/netpolicy/', '/test/conformance/nmstate/', '/test/conformance/nodeparts/'],
      // copies of this package (the compat baseline, built bindings) are not modules of it
      modulePathIgnorePatterns: ['<rootDir>/compat/', '<rootDir>/dist-packages/', '<rootDir>/.tmp/'],
      // where the property-test counts go (the test corpus, when one is
      // recorded), and the total printed at the end (see test/property.ts)
      globalSetup: '<rootDir>/test/corpus-setup.ts',
      globalTeardown: '<rootDir>/test/property-summary.ts',
      // one worker a core: jest's default (cores minus one) runs the suites
      // one after another on a two-core machine while the main process idles
      maxWorkers: '100%',
      // nothing reads the coverage report, and instrumenting every source
      // file slows each suite down
      collectCoverage: false,
    },
  },
  gitignore: ['/dist/', '/dist-packages/', '/benchmarks/out/', '/.tmp/', '/.cluster/'],
});

// jest 30 resolves modules with unrs-resolver, whose per-platform bindings
// are optional dependencies. The registry this project installs from lacks
// the non-Linux bindings of 1.13.0, so npm leaves them out of the lockfile
// and a clean `npm ci` refuses it; 1.12.2 has every binding.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

project.npmignore?.exclude('/examples/', '/benchmarks/', '/.ci/', '/build-tools/', '/docs/', '/.tmp/');
// jsii-pacmak appends this exact line to .npmignore when it is missing,
// rewriting a tracked file on every package build.
project.npmignore?.exclude('dist-packages');
// What the npm package may hold, and nothing else (checked in CI by
// build-tools/check-npm-pack.ts against `npm pack --dry-run`).
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'API.md']);

// `npm test` (jest, then eslint) needs Node only: the upstream CRDs the
// schema tests read are committed (test/upstream-crds), tests whose oracle is
// a Debian program skip without it (test/host-tools.ts), and those that need
// Go tools skip without them. The real components run in test:conformance.

// The test corpus: every suite run with CDK8S_KUBEVIRT_CORPUS set records what
// it synthesizes there (test/util.ts); the conformance passes read it. The
// oracles of the Debian packages must run, so that no suite's recordings are
// skipped.
project.addTask('corpus', {
  description: 'Run the jest suites recording the test corpus into .tmp/corpus (synth-docs, cni-configs, nmstate-policies, property-cases); needs the Debian packages of build-tools/install-test-deps.sh',
  env: { CDK8S_KUBEVIRT_CORPUS: '.tmp/corpus', REQUIRE_HOST_TOOLS: '1' },
  steps: [
    { exec: 'node -e "require(\'fs\').rmSync(\'.tmp/corpus\', { recursive: true, force: true })"' },
    { exec: 'jest --ci --coverage=false' },
  ],
});

// No import cycles, type-only imports included: \`import type\` is not
// written (the rule below turns it into a plain import), so import/no-cycle,
// which passes over type-only imports, sees every edge.
project.eslint?.addRules({
  'import/no-cycle': ['error', { ignoreExternal: true }],
  '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'no-type-imports' }],
});

// The linter fixes files only when asked.
project.addTask('lint:fix', {
  description: 'Run eslint and fix what it can (the eslint task only reports)',
  exec: 'eslint --ext .ts,.tsx --fix --no-error-on-unmatched-pattern src test examples benchmarks build-tools projenrc .projenrc.ts',
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
});

// Public names that are keywords in a jsii target language (jsii's own
// warning is silenced by the compile task; this check is the stricter one).
project.compileTask.exec('ts-node -P build-tools/tsconfig.json build-tools/check-reserved-words.ts');

project.addTask('test:bindings', {
  description: 'Build the Python, Java and Go packages and run the programs of test/bindings in each (byte-identical manifests to TypeScript)',
  exec: 'bash test/bindings/run.sh',
});

// The version; `npm run release -- minor` (see RELEASING.md) moves it.
project.package.addVersion('0.1.0');
project.addTask('release', {
  description: 'Bump the version (major|minor|patch), update CHANGELOG.md and the compat baseline, commit and tag',
  exec: 'bash build-tools/release.sh',
  receiveArgs: true,
});
// jsii-diff against the API of the last release, recorded by the release task.
project.tasks.tryFind('compat')?.reset('bash build-tools/compat.sh');
// The Java and Go packages depend on cdk8s-plus-33 (and Go on cdk8s), which
// the registries this is built with do not serve: the script builds them
// from their jsii assemblies for the build only (RELEASING.md).
project.tasks.tryFind('package:java')?.reset('bash build-tools/package-lang.sh java');
project.tasks.tryFind('package:go')?.reset('bash build-tools/package-lang.sh go');

// The npm package holds what `files` allows and nothing else.
project.addTask('check:pack', {
  description: 'Check `npm pack --dry-run` against the list of files the package may hold',
  exec: 'ts-node -P build-tools/tsconfig.json build-tools/check-npm-pack.ts',
});
// MultiNetworkPolicies enforced by multi-networkpolicy-iptables' own code
// (the netpolicy-rules Go tool) between network namespaces (root, iptables,
// nc, ping). Not part of `npm test`: the tool needs the enforcer's module
// from the Go module proxy (see test/cluster/build.sh).
project.addTask('test:netpolicy', {
  description: 'Build netpolicy-rules (the MultiNetworkPolicy enforcer\'s own code) and run the MultiNetworkPolicy traffic test',
  steps: [
    { exec: 'test/cluster/build.sh netpolicy' },
    { exec: 'jest --ci --config test/conformance/netpolicy/jest.config.json' },
  ],
});
// The real-component tier in one command (root, Go, Rust, Debian packages):
// the CNI, nmstate and node-parts passes, the cluster tools and every check
// built on them; see test/conformance/run.sh.
project.addTask('test:conformance', {
  description: 'Run the real-component tier (root; Go, Rust, Debian packages): CRD drift, CNI, nmstate and node-parts passes, upstream facts, cluster, platform, storage, launcher and data-plane checks',
  exec: 'bash test/conformance/run.sh',
  receiveArgs: true,
});
// the cargo build of the nmstate conformance tool
project.gitignore.addPatterns('/test/conformance/nmstate/apply/target/');

// The upstream CRDs, generated from the pinned Go modules under test/cluster
// and committed in test/upstream-crds (as cdk8s projects commit imports/),
// where the schema tests, the cluster tools and the data-plane pass read them.
project.addTask('cluster:crds', {
  description: 'Regenerate the committed upstream CRDs (KubeVirt, CDI, Multus, whereabouts, external-snapshotter, MultiNetworkPolicy, nmstate) in test/upstream-crds from the pinned Go modules',
  exec: 'test/cluster/crds.sh',
});
project.gitattributes.addAttributes('/test/upstream-crds/**', 'linguist-generated');
project.npmignore?.exclude('/.cluster/');

project.addTask('synth:example', {
  description: 'Synthesize the example cluster in examples/ into dist/: the manifests, the topology picture and node-requirements.md',
  exec: 'cdk8s synth --no-check-upgrade --app "npx ts-node -P examples/tsconfig.json examples/main.ts" --output dist',
});

project.addTask('synth:day2', {
  description: 'Synthesize the day-2 example (examples/day2.ts: snapshots, restores, clones, exports, Velero backups, templates, pools) into dist-day2/',
  exec: 'cdk8s synth --no-check-upgrade --app "npx ts-node -P examples/tsconfig.json examples/day2.ts" --output dist-day2',
});
project.gitignore.exclude('/dist-day2/');
project.npmignore?.exclude('/dist-day2/');

project.addTask('bench', {
  description: 'Benchmark synthesis against plain cdk8s and yaml at 100, 1,000 and 10,000 VMs (writes benchmarks/RESULTS.md)',
  steps: [
    { exec: 'tsc -p benchmarks/tsconfig.build.json' },
    { exec: 'node benchmarks/out/js/benchmarks/bench.js' },
  ],
});

// The real-cluster tier (test/cluster): Go tools that run etcd,
// kube-apiserver and the KubeVirt/CDI code on the manifests.
project.addTask('cluster:build', {
  description: 'Build the real-cluster tools (etcd, kube-apiserver, check-cluster, admission and RBAC tools) into .cluster/bin',
  exec: 'test/cluster/build.sh',
  receiveArgs: true,
});
// The data-plane pass: nodes, CNI chains and KubeVirt's bridge binding built in
// network namespaces from real parts, every pair of VM interfaces probed and
// compared with what the constructs intend (root; see test/dataplane).
project.addTask('check:dataplane', {
  description: 'Build the data path of a directory of synthesized manifests in network namespaces and probe every pair of VM interfaces (root)',
  exec: 'ts-node -P test/tsconfig.json test/dataplane/check-dataplane.ts',
  receiveArgs: true,
});
project.addTask('check:cluster', {
  description: 'Check YAML files or folders on a real control plane (strict dry-run, ordered apply, KubeVirt/CDI admission, operator RBAC)',
  exec: 'test/cluster/check.sh',
  receiveArgs: true,
});
project.addTask('check:storage', {
  description: 'Follow every DataVolume of YAML files or folders through CDI\'s own claim rendering, clone size check and clone planner (one line per disk)',
  exec: 'test/cluster/storage.sh',
  receiveArgs: true,
});
project.addTask('check:launcher', {
  description: 'Render the virt-launcher pod of every VM in YAML files or folders with KubeVirt\'s own code; check selectors and host names against those pods',
  exec: 'test/cluster/launcher.sh',
  receiveArgs: true,
});

project.addTask('check:platform', {
  description: 'Compare the platform objects in YAML files or folders with upstream\'s install at the pinned versions; fails on a difference accepted-differences.yaml does not list',
  exec: 'ts-node -P test/tsconfig.json test/platform-check/check-platform.ts',
  receiveArgs: true,
});

project.synth();
