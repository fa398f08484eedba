import { ApiObject, Cron, Testing } from 'cdk8s';
import { Multus, SnapshotController, Whereabouts } from '../../src/platform';
import { findOne, synthValid } from '../util';

const rulesFor = (role: any, group: string, resource: string) =>
  role.rules.filter((r: any) => r.apiGroups?.includes(group) && r.resources.includes(resource)).flatMap((r: any) => r.verbs);

describe('Multus', () => {
  const setup = (props = {}) => {
    const chart = Testing.chart();
    const multus = new Multus(chart, 'multus', props);
    return { chart, multus, docs: synthValid(chart) };
  };

  test('defaults', () => {
    const { docs, multus } = setup();
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toMatchSnapshot();
    expect(ApiObject.of(multus).kind).toBe('DaemonSet');
  });

  test('the DaemonSet is privileged like upstream, no more: host network and PID, pinned thick image', () => {
    const ds = findOne(setup().docs, 'DaemonSet', 'kube-multus-ds');
    expect(ds.metadata.namespace).toBe('kube-system');
    const pod = ds.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBe(true);
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.image).toBe('ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick');
      expect(c.securityContext).toEqual({ privileged: true });
    }
    expect(pod.containers[0].name).toBe('kube-multus');
    expect(pod.initContainers[0].name).toBe('install-multus-binary');
  });

  test('the daemon config selects the thick plugin settings', () => {
    const cm = findOne(setup({ logLevel: 'error' }).docs, 'ConfigMap', 'multus-daemon-config');
    const cfg = JSON.parse(cm.data['daemon-config.json']);
    expect(cfg).toMatchObject({ chrootDir: '/hostroot', multusConfigFile: 'auto', socketDir: '/host/run/multus/', logLevel: 'error' });
  });

  test('RBAC: all of k8s.cni.cncf.io, pods read/update, events write only', () => {
    const role = findOne(setup().docs, 'ClusterRole', 'multus');
    expect(rulesFor(role, 'k8s.cni.cncf.io', '*')).toEqual(['*']);
    expect(rulesFor(role, '', 'pods')).toEqual(['get', 'list', 'update', 'watch']);
    expect(rulesFor(role, 'events.k8s.io', 'events')).toEqual(['create', 'patch', 'update']);
    expect(role.rules).toHaveLength(3);
  });

  test('throws for an unknown log level', () => {
    expect(() => new Multus(Testing.chart(), 'multus', { logLevel: 'loud' })).toThrow(/\[test\/multus\] 'logLevel' must be one of debug, error, panic, verbose, got 'loud'/);
  });
});

describe('Whereabouts', () => {
  const setup = (props = {}) => {
    const chart = Testing.chart();
    const w = new Whereabouts(chart, 'wa', props);
    return { chart, w, docs: synthValid(chart) };
  };

  test('defaults', () => {
    const { docs, w } = setup();
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toMatchSnapshot();
    expect(ApiObject.of(w).kind).toBe('DaemonSet');
    expect(findOne(docs, 'ConfigMap', 'whereabouts-config').data['cron-expression']).toBe('30 4 * * *');
  });

  test('the reconciler schedule is configurable', () => {
    const { docs } = setup({ reconcilerSchedule: Cron.schedule({ minute: '*/15' }) });
    expect(findOne(docs, 'ConfigMap', 'whereabouts-config').data['cron-expression']).toBe('*/15 * * * *');
    const ds = findOne(docs, 'DaemonSet', 'whereabouts');
    expect(ds.spec.template.spec.volumes.find((v: any) => v.name === 'cron-scheduler-configmap').configMap.name).toBe('whereabouts-config');
  });

  test('RBAC: pool objects without deletecollection, pods read only', () => {
    const role = findOne(setup().docs, 'ClusterRole', 'whereabouts-cni');
    for (const res of ['ippools', 'overlappingrangeipreservations', 'nodeslicepools']) {
      const verbs = rulesFor(role, 'whereabouts.cni.cncf.io', res);
      expect(verbs).toEqual(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']);
      expect(verbs).not.toContain('deletecollection');
    }
    expect(rulesFor(role, '', 'pods')).toEqual(['get', 'list', 'watch']);
    expect(rulesFor(role, 'k8s.cni.cncf.io', 'network-attachment-definitions')).toEqual(['get', 'list', 'watch']);
  });

  test('the DaemonSet is privileged on the host network like upstream, with the pinned image', () => {
    const pod = findOne(setup().docs, 'DaemonSet', 'whereabouts').spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBeUndefined();
    expect(pod.containers[0].image).toBe('ghcr.io/k8snetworkplumbingwg/whereabouts:v0.9.4');
    expect(pod.containers[0].securityContext).toEqual({ privileged: true });
  });
});

describe('SnapshotController', () => {
  const setup = (props = {}) => {
    const chart = Testing.chart();
    const s = new SnapshotController(chart, 'snap', props);
    return { chart, s, docs: synthValid(chart) };
  };

  test('defaults', () => {
    const { docs, s } = setup();
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toMatchSnapshot();
    expect(ApiObject.of(s).kind).toBe('Deployment');
  });

  test('the Deployment runs 2 replicas with leader election and upstream rollout settings', () => {
    const dep = findOne(setup().docs, 'Deployment', 'snapshot-controller');
    expect(dep.metadata.namespace).toBe('kube-system');
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.minReadySeconds).toBe(35);
    expect(dep.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    const c = dep.spec.template.spec.containers[0];
    expect(c.args).toEqual(['--v=2', '--leader-election=true']);
    expect(c.image).toBe('registry.k8s.io/sig-storage/snapshot-controller:v8.6.0');
    expect(c.securityContext.privileged).toBeUndefined();
    expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
  });

  test('replicas and verbosity are settable', () => {
    const dep = findOne(setup({ replicas: 3, verbosity: 5 }).docs, 'Deployment', 'snapshot-controller');
    expect(dep.spec.replicas).toBe(3);
    expect(dep.spec.template.spec.containers[0].args[0]).toBe('--v=5');
  });

  test('RBAC: cannot create or delete volume group snapshots, only patch content status', () => {
    const role = findOne(setup().docs, 'ClusterRole', 'snapshot-controller-runner');
    const groupSnap = rulesFor(role, 'groupsnapshot.storage.k8s.io', 'volumegroupsnapshots');
    expect(groupSnap).not.toContain('create');
    expect(groupSnap).not.toContain('delete');
    expect(rulesFor(role, 'snapshot.storage.k8s.io', 'volumesnapshotcontents/status')).toEqual(['patch']);
    expect(rulesFor(role, 'snapshot.storage.k8s.io', 'volumesnapshotclasses')).toEqual(['get', 'list', 'watch']);
    expect(rulesFor(role, '', 'persistentvolumes')).toEqual(['get', 'list', 'watch']);
  });

  test('the leader-election Role covers leases without patch', () => {
    const role = findOne(setup().docs, 'Role', 'snapshot-controller-leaderelection');
    expect(role.metadata.namespace).toBe('kube-system');
    expect(role.rules).toEqual([{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'watch', 'list', 'delete', 'update', 'create'] }]);
  });

  test('the snapshot CRDs carry the api-approved annotation their k8s.io group requires', () => {
    const crds = setup().docs.filter(d => d.kind === 'CustomResourceDefinition');
    expect(crds).toHaveLength(3);
    for (const crd of crds) expect(crd.metadata.annotations['api-approved.kubernetes.io']).toMatch(/^https:\/\/github.com\/kubernetes-csi\/external-snapshotter\/pull\/\d+$/);
  });

  test('throws for zero replicas', () => {
    expect(() => new SnapshotController(Testing.chart(), 'snap', { replicas: 0 })).toThrow(/\[test\/snap\] 'replicas' must be a whole number of at least 1, got 0/);
  });
});
