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
  devDeps: [
    'typescript@~6.0.0',
    '@types/node@^20',
    'ajv@^8.17.0',
    'yaml@^2.8.0',
    'fast-check@^4.3.0',
    'cdk8s-cli@^2.200.0',
  ],

  // No hosted CI or release automation: .ci/run is the pipeline.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'benchmarks', 'build-tools', 'projenrc'],
  },

  jestOptions: {
    updateSnapshot: UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      // The CNI conformance suite runs in a second pass (see the test task).
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '/lib/', '/test/conformance/cni/'],
      // prints the total of property-test cases (see test/property.ts)
      globalTeardown: '<rootDir>/test/property-summary.ts',
    },
  },
  gitignore: ['/dist/', '/dist-packages/', '/benchmarks/out/', '/.tmp/', '/.cluster/'],
});

// jest 30 resolves modules with unrs-resolver, whose per-platform bindings
// are optional dependencies. The registry this project installs from lacks
// the non-Linux bindings of 1.13.0, so npm leaves them out of the lockfile
// and a clean `npm ci` refuses it; 1.12.2 has every binding.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

project.npmignore?.exclude('/examples/', '/benchmarks/', '/.ci/');

// Every suite records the NAD configs it synthesizes; the CNI conformance
// pass then runs each one through the real CNI plugins.
project.testTask.prependExec('node -e "for (const d of [\'.tmp/cni-configs\', \'.tmp/property-cases\']) require(\'fs\').rmSync(d, { recursive: true, force: true })"');
project.testTask.exec('jest --ci --config test/conformance/cni/jest.config.json');

// The upstream CRDs, generated from the pinned Go modules under test/cluster;
// the schema tests read them from .cluster/crds.
project.addTask('cluster:crds', {
  description: 'Generate the upstream CRDs (KubeVirt, CDI, Multus, whereabouts, external-snapshotter, MultiNetworkPolicy) into .cluster/crds',
  exec: 'test/cluster/crds.sh',
});
project.testTask.prependSpawn(project.tasks.tryFind('cluster:crds')!);
project.npmignore?.exclude('/.cluster/');

project.addTask('synth:example', {
  description: 'Synthesize the example cluster in examples/ into dist/',
  exec: 'cdk8s synth --no-check-upgrade --app "npx ts-node -P examples/tsconfig.json examples/main.ts" --output dist',
});

project.addTask('bench', {
  description: 'Benchmark synthesis against plain cdk8s and yaml at 100, 1,000 and 10,000 VMs (writes benchmarks/RESULTS.md)',
  steps: [
    { exec: 'tsc -p benchmarks/tsconfig.build.json' },
    { exec: 'node benchmarks/out/js/benchmarks/bench.js' },
  ],
});

project.synth();
