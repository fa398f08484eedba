import { ApiObject, Testing } from 'cdk8s';
import { Cdi, CdiCloneStrategy, FeatureGate } from '../../src/platform';
import { findOne, synthValid } from '../util';
import { allows } from './rbac-allows';

function setup(props = {}) {
  const chart = Testing.chart();
  const cdi = new Cdi(chart, 'cdi', props);
  return { chart, cdi };
}

describe('Cdi defaults', () => {
  test('synthesizes the upstream install and a schema-valid CDI object', () => {
    const docs = synthValid(setup().chart);
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toMatchSnapshot();
    const cr = findOne(docs, 'CDI', 'cdi');
    expect(cr.metadata.namespace).toBeUndefined();
    expect(cr.spec.config.featureGates).toEqual(['HonorWaitForFirstConsumer']);
    expect(cr.spec.infra).toEqual({ nodeSelector: { 'kubernetes.io/os': 'linux' } });
    expect(cr.spec.workload).toEqual({ nodeSelector: { 'kubernetes.io/os': 'linux' } });
  });

  test('ApiObject.of returns the CDI object', () => {
    expect(ApiObject.of(setup().cdi).kind).toBe('CDI');
  });

  test('the namespace enforces the restricted Pod Security level', () => {
    const ns = findOne(synthValid(setup().chart), 'Namespace', 'cdi');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(ns.metadata.labels['cdi.kubevirt.io']).toBe('');
  });

  test('cdi-operator runs one non-root replica with all capabilities dropped', () => {
    const dep = findOne(synthValid(setup().chart), 'Deployment', 'cdi-operator');
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const c = dep.spec.template.spec.containers[0];
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.ports.map((p: any) => p.name)).toEqual(['metrics', 'health']);
  });

  test('cdi-operator gets every env var upstream sets, with pinned component images', () => {
    const c = findOne(synthValid(setup().chart), 'Deployment', 'cdi-operator').spec.template.spec.containers[0];
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
    expect(Object.keys(env)).toEqual([
      'DEPLOY_CLUSTER_RESOURCES', 'OPERATOR_VERSION', 'CONTROLLER_IMAGE', 'IMPORTER_IMAGE', 'CLONER_IMAGE',
      'OVIRT_POPULATOR_IMAGE', 'APISERVER_IMAGE', 'UPLOAD_SERVER_IMAGE', 'UPLOAD_PROXY_IMAGE', 'VERBOSITY',
      'PULL_POLICY', 'MONITORING_NAMESPACE',
    ]);
    expect(env.OPERATOR_VERSION).toBe('v1.66.0');
    expect(env.CONTROLLER_IMAGE).toBe('quay.io/kubevirt/cdi-controller:v1.66.0');
    expect(env.IMPORTER_IMAGE).toBe('quay.io/kubevirt/cdi-importer:v1.66.0');
    expect(env.CLONER_IMAGE).toBe('quay.io/kubevirt/cdi-cloner:v1.66.0');
    expect(env.APISERVER_IMAGE).toBe('quay.io/kubevirt/cdi-apiserver:v1.66.0');
    expect(env.UPLOAD_PROXY_IMAGE).toBe('quay.io/kubevirt/cdi-uploadproxy:v1.66.0');
    expect(env.UPLOAD_SERVER_IMAGE).toBe('quay.io/kubevirt/cdi-uploadserver:v1.66.0');
    expect(env.OVIRT_POPULATOR_IMAGE).toBe(env.IMPORTER_IMAGE);
    expect(env.PULL_POLICY).toBe('IfNotPresent');
    expect(c.image).toBe('quay.io/kubevirt/cdi-operator:v1.66.0');
  });
});

describe('Cdi operator ports and probes', () => {
  test('metrics are declared on 8443, where the operator serves them; health and readiness probes use 8444', () => {
    const c = findOne(synthValid(setup().chart), 'Deployment', 'cdi-operator').spec.template.spec.containers[0];
    expect(c.ports).toEqual([
      { name: 'metrics', containerPort: 8443, protocol: 'TCP' },
      { name: 'health', containerPort: 8444, protocol: 'TCP' },
    ]);
    const probe = (path: string) => ({ httpGet: { path, port: 8444, scheme: 'HTTP' }, initialDelaySeconds: 5, timeoutSeconds: 10 });
    expect(c.livenessProbe).toEqual(probe('/healthz'));
    expect(c.readinessProbe).toEqual(probe('/readyz'));
  });
});

describe('Cdi RBAC', () => {
  test('the operator can delete the old dataimportcron webhook and grant Prometheus its pod and endpoint reads', () => {
    const docs = synthValid(setup().chart);
    const cluster = findOne(docs, 'ClusterRole', 'cdi-operator-cluster');
    expect(allows(cluster.rules, 'admissionregistration.k8s.io', 'mutatingwebhookconfigurations', 'delete', 'cdi-api-dataimportcron-mutate')).toBe(true);
    const role = findOne(docs, 'Role', 'cdi-operator');
    for (const res of ['endpoints', 'pods']) for (const verb of ['get', 'list', 'watch']) expect(allows(role.rules, '', res, verb)).toBe(true);
  });

  test('webhook configurations are only changed by name', () => {
    const role = findOne(synthValid(setup().chart), 'ClusterRole', 'cdi-operator-cluster');
    const webhooks = role.rules.filter((r: any) => r.apiGroups?.includes('admissionregistration.k8s.io'));
    for (const r of webhooks) {
      if (r.verbs.some((v: string) => ['update', 'delete', 'get'].includes(v))) expect(r.resourceNames?.length).toBeGreaterThan(0);
    }
  });

  test('the cluster role holds the core rules the cdi controller and apiserver cluster roles grant', () => {
    const rules = findOne(synthValid(setup().chart), 'ClusterRole', 'cdi-operator-cluster').rules;
    for (const verb of ['get', 'list', 'watch', 'create']) expect(allows(rules, '', 'configmaps', verb)).toBe(true);
    for (const verb of ['get', 'list', 'watch', 'create', 'patch']) expect(allows(rules, '', 'events', verb)).toBe(true);
    expect(allows(rules, '', 'secrets', 'create')).toBe(true);
    expect(allows(rules, '', 'secrets', 'get')).toBe(false);
    expect(allows(rules, 'config.openshift.io', 'clusterversions', 'get')).toBe(true);
    expect(allows(rules, 'snapshot.storage.k8s.io', 'volumesnapshots', 'deletecollection')).toBe(true);
  });

  test('the namespaced role holds what the cdi component roles grant in the cdi namespace', () => {
    const rules = findOne(synthValid(setup().chart), 'Role', 'cdi-operator').rules;
    // cdi-apiserver's Role uses the '*' verb, which only a '*' rule can grant
    expect(allows(rules, '', 'secrets', '*')).toBe(true);
    expect(allows(rules, '', 'configmaps', '*')).toBe(true);
    for (const verb of ['get', 'list', 'watch', 'create', 'update', 'deletecollection']) expect(allows(rules, 'batch', 'cronjobs', verb)).toBe(true);
    for (const verb of ['create', 'deletecollection', 'list', 'watch']) expect(allows(rules, 'batch', 'jobs', verb)).toBe(true);
    expect(allows(rules, 'networking.k8s.io', 'ingresses', 'watch')).toBe(true);
    expect(allows(rules, 'networking.k8s.io', 'ingresses', 'create')).toBe(false);
  });

  test('the cluster role is bound to the operator service account in the cdi namespace', () => {
    const b = findOne(synthValid(setup().chart), 'ClusterRoleBinding', 'cdi-operator');
    expect(b.roleRef.name).toBe('cdi-operator-cluster');
    expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'cdi-operator', namespace: 'cdi' }]);
  });
});

describe('Cdi configuration', () => {
  test('upload proxy URL, clone strategy, scratch class, gates and placement land in the CDI object', () => {
    const { chart, cdi } = setup({
      featureGates: [FeatureGate.HONOR_WAIT_FOR_FIRST_CONSUMER, FeatureGate.WEBHOOK_PVC_RENDERING],
      uploadProxyUrlOverride: 'https://upload.example.com',
      cloneStrategyOverride: CdiCloneStrategy.CSI_CLONE,
      scratchSpaceStorageClass: 'local-scratch',
      infraPlacement: { nodeSelector: { infra: 'true' } },
      workloadPlacement: { tolerations: [{ key: 'storage', operator: 'Exists' }] },
    });
    cdi.addFeatureGate(FeatureGate.DATA_VOLUME_CLAIM_ADOPTION);
    const cr = findOne(synthValid(chart), 'CDI');
    expect(cr.spec.cloneStrategyOverride).toBe('csi-clone');
    expect(cr.spec.config).toEqual({
      featureGates: ['HonorWaitForFirstConsumer', 'WebhookPvcRendering', 'DataVolumeClaimAdoption'],
      scratchSpaceStorageClass: 'local-scratch',
      uploadProxyURLOverride: 'https://upload.example.com',
    });
    expect(cr.spec.infra).toEqual({ nodeSelector: { infra: 'true' } });
    expect(cr.spec.workload).toEqual({ tolerations: [{ key: 'storage', operator: 'Exists' }] });
  });

  test('an empty gate list switches off the default gate', () => {
    expect(findOne(synthValid(setup({ featureGates: [] }).chart), 'CDI').spec.config.featureGates).toEqual([]);
  });

  test('throws for a KubeVirt gate', () => {
    expect(() => setup({ featureGates: [FeatureGate.SNAPSHOT] })).toThrow(/\[test\/cdi\] 'featureGates' is a KubeVirt feature gate, not a CDI one, got 'Snapshot'/);
  });

  test('throws for an upload proxy URL that is not http(s)', () => {
    expect(() => setup({ uploadProxyUrlOverride: 'upload.example.com' })).toThrow(/\[test\/cdi\] 'uploadProxyUrlOverride' must be an http\(s\) URL, got 'upload.example.com'/);
  });

  test('a registry mirror moves the operator and every component image', () => {
    const c = findOne(synthValid(setup({ image: { registry: 'mirror.local/cdi', tag: 'v1.66.0-1' } }).chart), 'Deployment', 'cdi-operator').spec.template.spec.containers[0];
    expect(c.image).toBe('mirror.local/cdi/cdi-operator:v1.66.0-1');
    for (const e of c.env.filter((x: any) => x.name.endsWith('_IMAGE'))) expect(e.value).toMatch(/^mirror\.local\/cdi\/cdi-[a-z]+:v1\.66\.0-1$/);
  });
});
