import { ApiObject, Chart, Duration, Size, Testing } from 'cdk8s';
import { ImagePullPolicy } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { EvictionStrategy } from '../../src/compute';
import { INetworkAttachmentDefinition } from '../../src/network/network-attachment-definition-ref';
import { ControlPlanePlacement, FeatureGate, FeatureGateComponent, KubeVirt } from '../../src/platform';
import { findOne, synthValid } from '../util';
import { allows } from './rbac-allows';

class FakeNad extends Construct implements INetworkAttachmentDefinition {
  public readonly networkName: string;
  constructor(scope: Construct, id: string, public readonly name: string, public readonly namespace: string) {
    super(scope, id);
    this.networkName = `${namespace}/${name}`;
  }
}

function setup(props = {}) {
  const chart = Testing.chart();
  const kv = new KubeVirt(chart, 'kv', props);
  return { chart, kv };
}

describe('KubeVirt defaults', () => {
  test('synthesizes the upstream install and a schema-valid KubeVirt object', () => {
    const { chart } = setup();
    const docs = synthValid(chart);
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toMatchSnapshot();
    const cr = findOne(docs, 'KubeVirt', 'kubevirt');
    expect(cr.metadata.namespace).toBe('kubevirt');
    expect(cr.spec.imagePullPolicy).toBe('IfNotPresent');
  });

  test('ApiObject.of returns the KubeVirt object', () => {
    const { kv } = setup();
    expect(ApiObject.of(kv).kind).toBe('KubeVirt');
    expect(kv.operatorDeployment.kind).toBe('Deployment');
    expect(kv.crd.name).toBe('kubevirts.kubevirt.io');
  });

  test('the namespace is labelled privileged for Pod Security, as KubeVirt needs', () => {
    const docs = synthValid(setup().chart);
    const ns = findOne(docs, 'Namespace', 'kubevirt');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns.metadata.labels['kubevirt.io']).toBe('');
  });

  test('the priority class matches upstream and is not the global default', () => {
    const pc = findOne(synthValid(setup().chart), 'PriorityClass', 'kubevirt-cluster-critical');
    expect(pc.value).toBe(1000000000);
    expect(pc.globalDefault).toBe(false);
  });

  test('virt-operator runs 2 replicas, non-root, without privilege escalation, all capabilities dropped', () => {
    const dep = findOne(synthValid(setup().chart), 'Deployment', 'virt-operator');
    expect(dep.spec.replicas).toBe(2);
    const pod = dep.spec.template.spec;
    expect(pod.priorityClassName).toBe('kubevirt-cluster-critical');
    expect(pod.serviceAccountName).toBe('kubevirt-operator');
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const c = pod.containers[0];
    expect(c.image).toBe('quay.io/kubevirt/virt-operator:v1.9.0');
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext.privileged).toBeUndefined();
    expect(c.ports.map((p: any) => p.name)).toEqual(['metrics', 'webhooks']);
    expect(c.volumeMounts[0]).toEqual({ name: 'kubevirt-operator-certs', mountPath: '/etc/virt-operator/certificates', readOnly: true });
  });

  test('virt-operator has upstream\'s liveness probe, pod label for network policies and termination message policy', () => {
    const dep = findOne(synthValid(setup().chart), 'Deployment', 'virt-operator');
    expect(dep.spec.template.metadata.labels['np.kubevirt.io/allow-access-cluster-services']).toBe('true');
    const c = dep.spec.template.spec.containers[0];
    const probe = { httpGet: { path: '/metrics', port: 8443, scheme: 'HTTPS' }, initialDelaySeconds: 5, timeoutSeconds: 10 };
    expect(c.livenessProbe).toEqual(probe);
    expect(c.readinessProbe).toEqual(probe);
    expect(c.terminationMessagePolicy).toBe('FallbackToLogsOnError');
  });

  test('virt-operator gets the env it reads: its image, watch namespace and version', () => {
    const dep = findOne(synthValid(setup().chart), 'Deployment', 'virt-operator');
    const env = Object.fromEntries(dep.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.VIRT_OPERATOR_IMAGE).toBe('quay.io/kubevirt/virt-operator:v1.9.0');
    expect(env.KUBEVIRT_VERSION).toBe('v1.9.0');
    expect(env.WATCH_NAMESPACE).toEqual({ fieldRef: { fieldPath: 'metadata.annotations[\'olm.targetNamespaces\']' } });
  });
});

describe('KubeVirt RBAC', () => {
  test('the admin-aggregated role only grants kubevirts', () => {
    const role = findOne(synthValid(setup().chart), 'ClusterRole', 'kubevirt.io:operator');
    expect(role.metadata.labels['rbac.authorization.k8s.io/aggregate-to-admin']).toBe('true');
    expect(role.rules).toEqual([{ apiGroups: ['kubevirt.io'], resources: ['kubevirts'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] }]);
  });

  test('the namespaced role lets the operator change only its named certificate secrets', () => {
    const role = findOne(synthValid(setup().chart), 'Role', 'kubevirt-operator');
    const secretRules = role.rules.filter((r: any) => r.resources.includes('secrets'));
    const writers = secretRules.filter((r: any) => r.verbs.some((v: string) => ['patch', 'delete', 'update'].includes(v)));
    expect(writers.every((r: any) => Array.isArray(r.resourceNames) && r.resourceNames.includes('kubevirt-ca'))).toBe(true);
  });

  test('the cluster role only reads network-attachment-definitions', () => {
    const role = findOne(synthValid(setup().chart), 'ClusterRole', 'kubevirt-operator');
    const nad = role.rules.filter((r: any) => r.apiGroups?.includes('k8s.cni.cncf.io'));
    expect(nad).toEqual([{ apiGroups: ['k8s.cni.cncf.io'], resources: ['network-attachment-definitions'], verbs: ['get'] }]);
    expect(role.rules.some((r: any) => r.apiGroups?.includes('*'))).toBe(false);
  });

  test('subresources are listed by name, since RBAC has no per-resource subresource wildcard', () => {
    const role = findOne(synthValid(setup().chart), 'ClusterRole', 'kubevirt-operator');
    const sub = role.rules.filter((r: any) => r.apiGroups?.includes('subresources.kubevirt.io')).flatMap((r: any) => r.resources);
    expect(sub).toContain('virtualmachines/start');
    expect(sub).toContain('virtualmachineinstances/console');
    expect(sub.some((r: string) => r.endsWith('/*') || r === '*')).toBe(false);
  });

  test('the v1.9 evacuation-cancel, backup and checkpoint subresources are granted, so the operator can hand them on', () => {
    const role = findOne(synthValid(setup().chart), 'ClusterRole', 'kubevirt-operator');
    const verbs = (res: string) => role.rules
      .filter((r: any) => r.apiGroups?.includes('subresources.kubevirt.io') && r.resources.includes(res)).flatMap((r: any) => r.verbs);
    for (const res of ['virtualmachineinstances/evacuate/cancel', 'virtualmachines/evacuate/cancel',
      'virtualmachineinstances/backup', 'virtualmachineinstances/redefine-checkpoint']) {
      expect(verbs(res)).toEqual(['update']);
    }
  });

  test('virt-controller\'s pod subresources are covered, so the operator can grant them', () => {
    const role = findOne(synthValid(setup().chart), 'ClusterRole', 'kubevirt-operator');
    const verbs = (res: string) => role.rules.filter((r: any) => r.apiGroups?.includes('') && r.resources.includes(res)).flatMap((r: any) => r.verbs);
    expect(verbs('pods/eviction')).toEqual(['create']);
    expect(verbs('pods/finalizers')).toEqual(['update']);
    expect(verbs('pods/status')).toEqual(['patch']);
  });

  test('limit ranges and resource quotas are covered, so the operator can grant virt-api and virt-controller their watches', () => {
    const role = findOne(synthValid(setup().chart), 'ClusterRole', 'kubevirt-operator');
    for (const res of ['limitranges', 'resourcequotas']) {
      for (const verb of ['list', 'watch']) expect(allows(role.rules, '', res, verb)).toBe(true);
      expect(allows(role.rules, '', res, 'delete')).toBe(false);
    }
  });

  test('the namespaced role names every certificate secret v1.9 rotates, backup, vsock and template ones included', () => {
    const role = findOne(synthValid(setup().chart), 'Role', 'kubevirt-operator');
    for (const name of [
      'kubevirt-backup-ca', 'kubevirt-virt-handler-migration-client-certs', 'kubevirt-virt-handler-vsock-client-certs',
      'kubevirt-virt-handler-monitoring-client-certs', 'kubevirt-virt-template-api-certs', 'kubevirt-virt-template-webhook-certs',
      'kubevirt-virt-template-controller-metrics-certs',
    ]) {
      expect(allows(role.rules, '', 'secrets', 'patch', name)).toBe(true);
      expect(allows(role.rules, '', 'secrets', 'delete', name)).toBe(true);
    }
  });

  test('the namespaced role names the synchronization controller certificates', () => {
    const role = findOne(synthValid(setup().chart), 'Role', 'kubevirt-operator');
    for (const name of ['kubevirt-synchronization-controller-certs', 'kubevirt-synchronization-controller-server-certs']) {
      expect(allows(role.rules, '', 'secrets', 'patch', name)).toBe(true);
    }
  });

  test('bindings point at the operator service account in the kubevirt namespace', () => {
    const docs = synthValid(setup().chart);
    for (const [kind, name] of [['ClusterRoleBinding', 'kubevirt-operator'], ['RoleBinding', 'kubevirt-operator-rolebinding']]) {
      expect(findOne(docs, kind, name).subjects).toEqual([{ kind: 'ServiceAccount', name: 'kubevirt-operator', namespace: 'kubevirt' }]);
    }
  });
});

describe('KubeVirt configuration', () => {
  test('live-migration settings, eviction strategy and placement land in the KubeVirt object', () => {
    const chart = Testing.chart();
    const nad = new FakeNad(chart, 'nad', 'migration', 'kubevirt');
    new KubeVirt(chart, 'kv', {
      parallelMigrationsPerCluster: 10,
      parallelOutboundMigrationsPerNode: 4,
      bandwidthPerMigration: Size.mebibytes(512),
      completionTimeoutPerGiB: Duration.seconds(300),
      migrationNetwork: nad,
      evictionStrategy: EvictionStrategy.LIVE_MIGRATE,
      infraPlacement: { nodeSelector: { 'node-role.kubernetes.io/control-plane': '' }, tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] },
      workloadPlacement: { nodeSelector: { 'kubevirt.io/schedulable': 'true' } },
      infraReplicas: 3,
      imagePullPolicy: ImagePullPolicy.ALWAYS,
    });
    const cr = findOne(synthValid(chart), 'KubeVirt');
    expect(cr.spec.configuration.migrations).toEqual({
      bandwidthPerMigration: '512Mi',
      completionTimeoutPerGiB: 300,
      network: 'migration',
      parallelMigrationsPerCluster: 10,
      parallelOutboundMigrationsPerNode: 4,
    });
    expect(cr.spec.configuration.evictionStrategy).toBe('LiveMigrate');
    expect(cr.spec.infra).toEqual({
      nodePlacement: {
        nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      },
      replicas: 3,
    });
    expect(cr.spec.workloads).toEqual({ nodePlacement: { nodeSelector: { 'kubevirt.io/schedulable': 'true' } } });
    expect(cr.spec.imagePullPolicy).toBe('Always');
  });

  test('control components prefer control-plane nodes by default; REQUIRE leaves the CR to KubeVirt\'s own placement; a wrong value is refused', () => {
    const operatorAndInfra = (props: any) => {
      const docs = synthValid(setup(props).chart);
      const op = docs.find((d: any) => d.kind === 'Deployment' && d.metadata.name === 'virt-operator').spec.template.spec;
      return { affinity: op.affinity.nodeAffinity, tolerations: op.tolerations.map((t: any) => t.key), infra: findOne(docs, 'KubeVirt').spec.infra };
    };
    const preferred = { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] } }] };
    expect(operatorAndInfra({})).toEqual({
      affinity: preferred,
      tolerations: ['CriticalAddonsOnly', 'node-role.kubernetes.io/control-plane'],
      infra: { nodePlacement: { affinity: { nodeAffinity: preferred }, tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] } },
    });
    const required = operatorAndInfra({ controlPlanePlacement: ControlPlanePlacement.REQUIRE });
    expect(required.infra).toBeUndefined();
    expect(required.tolerations).toEqual(['CriticalAddonsOnly', 'node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master']);
    expect(operatorAndInfra({ controlPlanePlacement: ControlPlanePlacement.ANY_NODE })).toEqual({
      affinity: undefined, tolerations: ['CriticalAddonsOnly'], infra: { nodePlacement: { nodeSelector: { 'kubernetes.io/os': 'linux' } } },
    });
    // infraPlacement replaces it in the CR; the operator keeps it
    const own = operatorAndInfra({ infraPlacement: { nodeSelector: { pool: 'infra' } } });
    expect(own.infra).toEqual({ nodePlacement: { nodeSelector: { pool: 'infra' } } });
    expect(own.affinity).toEqual(preferred);
    expect(() => setup({ controlPlanePlacement: 'SOMETIMES' })).toThrow(/\[test\/kv\] 'controlPlanePlacement' must be .*ControlPlanePlacement/);
  });

  test('bandwidth renders in the largest whole binary unit', () => {
    const { chart } = setup({ bandwidthPerMigration: Size.gibibytes(1) });
    expect(findOne(synthValid(chart), 'KubeVirt').spec.configuration.migrations.bandwidthPerMigration).toBe('1Gi');
  });

  test('throws when the migration network is outside the KubeVirt namespace', () => {
    const chart = Testing.chart();
    const nad = new FakeNad(chart, 'nad', 'migration', 'default');
    expect(() => new KubeVirt(chart, 'kv', { migrationNetwork: nad })).toThrow(
      /\[test\/kv\] 'migrationNetwork' must be in the KubeVirt namespace 'kubevirt'.*got 'default\/migration'; create the NetworkAttachmentDefinition in namespace 'kubevirt'/);
  });

  test('throws for a completion timeout below one second', () => {
    expect(() => setup({ completionTimeoutPerGiB: Duration.millis(500) })).toThrow(/\[test\/kv\] 'completionTimeoutPerGiB' must be a whole number of seconds/);
  });

  test('throws for zero parallel migrations', () => {
    expect(() => setup({ parallelMigrationsPerCluster: 0 })).toThrow(/\[test\/kv\] 'parallelMigrationsPerCluster' must be a whole number of at least 1, got 0/);
  });

  test('refuses numbers above the range of their API fields', () => {
    // spec.infra.replicas is a uint8: 256 would not even decode
    expect(() => setup({ infraReplicas: 256 })).toThrow(/\[test\/kv\] 'infraReplicas' must be at most 255, the largest value of its uint8 API field, got 256; set 'infraReplicas' to 255 or less/);
    expect(() => setup({ infraReplicas: 255 })).not.toThrow();
    expect(() => setup({ parallelMigrationsPerCluster: 2 ** 32 })).toThrow(/'parallelMigrationsPerCluster' must be at most 4294967295, the largest value of its uint32 API field/);
    expect(() => setup({ parallelOutboundMigrationsPerNode: 2 ** 32 })).toThrow(/'parallelOutboundMigrationsPerNode' must be at most 4294967295/);
    expect(() => setup({ replicas: 2 ** 31 })).toThrow(/'replicas' must be at most 2147483647, the largest value of its int32 API field/);
  });

  test('throws for zero operator replicas', () => {
    expect(() => setup({ replicas: 0 })).toThrow(/\[test\/kv\] 'replicas' must be a whole number of at least 1, got 0/);
  });

  test('replicas are settable', () => {
    expect(findOne(synthValid(setup({ replicas: 3 }).chart), 'Deployment', 'virt-operator').spec.replicas).toBe(3);
  });

  test('a custom namespace moves every namespaced object and keeps the privileged label', () => {
    const docs = synthValid(setup({ namespace: 'virt' }).chart);
    expect(findOne(docs, 'Namespace', 'virt').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(findOne(docs, 'Deployment', 'virt-operator').metadata.namespace).toBe('virt');
    expect(findOne(docs, 'KubeVirt').metadata.namespace).toBe('virt');
  });

  test('throws for a namespace that is not a DNS label', () => {
    expect(() => setup({ namespace: 'Kube_Virt' })).toThrow(/\[test\/kv\] 'namespace' must be a DNS-1123 label/);
  });
});

describe('KubeVirt VM state storage', () => {
  // a persistent TPM or EFI store needs this class, or a default class
  test('vmStateStorageClass lands in the configuration', () => {
    const { chart } = setup({ vmStateStorageClass: 'rook-cephfs' });
    expect(findOne(Testing.synth(chart), 'KubeVirt').spec.configuration.vmStateStorageClass).toBe('rook-cephfs');
  });

  test('a bad class name is refused', () => {
    expect(() => setup({ vmStateStorageClass: 'Ceph FS' })).toThrow(/'vmStateStorageClass' must be a DNS-1123 subdomain/);
    expect(() => setup({ vmStateStorageClass: 3 })).toThrow(/'vmStateStorageClass' must be a string/);
  });
});

describe('KubeVirt feature gates', () => {
  test('gates from props and addFeatureGate are set once, in order', () => {
    const { chart, kv } = setup({ featureGates: [FeatureGate.SNAPSHOT, FeatureGate.CPU_MANAGER] });
    kv.addFeatureGate(FeatureGate.SNAPSHOT);
    kv.addFeatureGate(FeatureGate.custom('FutureThing', FeatureGateComponent.KUBEVIRT));
    const cr = findOne(synthValid(chart), 'KubeVirt');
    expect(cr.spec.configuration.developerConfiguration.featureGates).toEqual(['Snapshot', 'CPUManager', 'FutureThing']);
  });

  test('throws for a CDI gate', () => {
    expect(() => setup({ featureGates: [FeatureGate.HONOR_WAIT_FOR_FIRST_CONSUMER] })).toThrow(
      /\[test\/kv\] 'featureGates' is a CDI feature gate, not a KubeVirt one, got 'HonorWaitForFirstConsumer'; set it on the CDI construct instead/);
  });

  test('GA gates are reported as warnings without failing synthesis', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { chart, kv } = setup({ featureGates: [FeatureGate.LIVE_MIGRATION, FeatureGate.SNAPSHOT] });
      const docs = synthValid(chart);
      expect(findOne(docs, 'KubeVirt').spec.configuration.developerConfiguration.featureGates).toEqual(['LiveMigration', 'Snapshot']);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/\[test\/kv\] warning: feature gate 'LiveMigration' is GA in KubeVirt and always on; remove it/));
      expect(kv.node.metadata.map(m => m.data)).toEqual([expect.stringMatching(/'LiveMigration' is GA/)]);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('KubeVirt disabled feature gates', () => {
  test('render as developerConfiguration.disabledFeatureGates, and only when given', () => {
    const { chart, kv } = setup({ disabledFeatureGates: [FeatureGate.DECLARATIVE_HOTPLUG_VOLUMES, FeatureGate.DECLARATIVE_HOTPLUG_VOLUMES] });
    expect(findOne(synthValid(chart), 'KubeVirt').spec.configuration.developerConfiguration)
      .toEqual({ featureGates: [], disabledFeatureGates: ['DeclarativeHotplugVolumes'] });
    expect(kv.disabledFeatureGates).toEqual([FeatureGate.DECLARATIVE_HOTPLUG_VOLUMES]);
    expect(findOne(synthValid(setup().chart), 'KubeVirt').spec.configuration.developerConfiguration).toEqual({ featureGates: [] });
  });

  test('a gate in both lists is refused, as KubeVirt refuses it, also when added later', () => {
    const { chart, kv } = setup({ disabledFeatureGates: [FeatureGate.SNAPSHOT] });
    kv.addFeatureGate(FeatureGate.SNAPSHOT);
    expect(() => Testing.synth(chart)).toThrow(/\[test\/kv\] 'disabledFeatureGates' is also in featureGates, and KubeVirt refuses a gate in both lists, got 'Snapshot'; keep the gate in one list/);
  });

  test('a CDI gate is refused; a gate that is off anyway or cannot be switched off is a warning', () => {
    expect(() => setup({ disabledFeatureGates: [FeatureGate.HONOR_WAIT_FOR_FIRST_CONSUMER] }))
      .toThrow(/\[test\/kv\] 'disabledFeatureGates' is a CDI feature gate, not a KubeVirt one/);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { chart } = setup({ disabledFeatureGates: [FeatureGate.LIVE_MIGRATION, FeatureGate.CPU_MANAGER, FeatureGate.SNAPSHOT] });
      synthValid(chart);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/feature gate 'LiveMigration' is GA in KubeVirt and cannot be switched off; remove it from 'disabledFeatureGates'/));
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/feature gate 'CPUManager' is alpha in KubeVirt and off unless listed in 'featureGates'; remove it from 'disabledFeatureGates'/));
      expect(warn).not.toHaveBeenCalledWith(expect.stringMatching(/'Snapshot'/));
    } finally {
      warn.mockRestore();
    }
  });
});

describe('KubeVirt images', () => {
  test('a registry mirror changes the operator image and tells the operator where to pull the rest', () => {
    const { chart } = setup({ image: { registry: 'mirror.example.com:5000/kubevirt' } });
    const docs = synthValid(chart);
    const c = findOne(docs, 'Deployment', 'virt-operator').spec.template.spec.containers[0];
    expect(c.image).toBe('mirror.example.com:5000/kubevirt/virt-operator:v1.9.0');
    expect(findOne(docs, 'KubeVirt').spec.imageRegistry).toBe('mirror.example.com:5000/kubevirt');
  });

  test('a digest pin renders repo@sha256 and keeps the release version for the operator', () => {
    const digest = 'sha256:' + 'a'.repeat(64);
    const { chart, kv } = setup({ image: { digest } });
    expect(kv.image).toBe(`quay.io/kubevirt/virt-operator@${digest}`);
    const env = findOne(synthValid(chart), 'Deployment', 'virt-operator').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'KUBEVIRT_VERSION').value).toBe('v1.9.0');
  });
});

test('is usable in any chart', () => {
  const chart = new Chart(Testing.app(), 'other');
  new KubeVirt(chart, 'kv');
  expect(synthValid(chart).length).toBeGreaterThan(5);
});
