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

  test('the daemon sees the host\'s CNI plugins at /opt/cni/bin, its default binDir, and mounts multus-conf-dir', () => {
    const pod = findOne(setup().docs, 'DaemonSet', 'kube-multus-ds').spec.template.spec;
    const daemon = pod.containers[0];
    const hostPathOf = (mount: any) => pod.volumes.find((v: any) => v.name === mount.name)?.hostPath?.path;
    const bin = daemon.volumeMounts.find((m: any) => m.mountPath === '/opt/cni/bin');
    expect(bin).toBeDefined();
    // The daemon looks plugins up inside its own filesystem: host and container paths must agree.
    expect(hostPathOf(bin)).toBe('/opt/cni/bin');
    const conf = daemon.volumeMounts.find((m: any) => m.mountPath === '/etc/cni/multus/net.d');
    expect(conf).toBeDefined();
    expect(hostPathOf(conf)).toBe('/etc/cni/multus/net.d');
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
    const reconciler = findOne(docs, 'Deployment', 'whereabouts-reconciler');
    expect(reconciler.spec.template.spec.volumes.find((v: any) => v.name === 'cron-scheduler-configmap').configMap.name).toBe('whereabouts-config');
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

  test('the token watcher runs in the background, so the shell reaches the IP control loop', () => {
    const c = findOne(setup().docs, 'DaemonSet', 'whereabouts').spec.template.spec.containers[0];
    expect(c.command).toEqual(['/bin/sh']);
    const script: string = c.args[1];
    expect(c.args[0]).toBe('-c');
    const lines = script.trim().split('\n');
    expect(lines).toEqual(['SLEEP=false source /install-cni.sh', '/token-watcher.sh &', '/ip-control-loop -log-level debug']);
    // no step after the endless watcher may wait for it
    expect(script).not.toMatch(/token-watcher\.sh\s*&&/);
  });

  test('the reconciler is a Deployment of its own that mounts the schedule; the DaemonSet does not', () => {
    const { docs } = setup({ reconcilerSchedule: Cron.schedule({ minute: '*/15' }) });
    const ds = findOne(docs, 'DaemonSet', 'whereabouts').spec.template.spec;
    expect(ds.volumes.map((v: any) => v.name)).toEqual(['cnibin', 'cni-net-dir']);
    const dep = findOne(docs, 'Deployment', 'whereabouts-reconciler');
    expect(dep.metadata.namespace).toBe('kube-system');
    expect(dep.spec.replicas).toBe(1);
    const pod = dep.spec.template.spec;
    expect(pod.serviceAccountName).toBe('whereabouts');
    const c = pod.containers[0];
    expect(c.command).toEqual(['/ip-reconciler']);
    expect(c.args).toEqual(['-log-level', 'debug']);
    expect(c.image).toBe('ghcr.io/k8snetworkplumbingwg/whereabouts:v0.9.4');
    expect(c.volumeMounts).toEqual([{ name: 'cron-scheduler-configmap', mountPath: '/cron-schedule' }]);
    expect(pod.volumes[0].configMap).toEqual({ name: 'whereabouts-config', defaultMode: 0o744, items: [{ key: 'cron-expression', path: 'config' }] });
  });

  test('the NodeSlicePool CRD keeps the slice allocations the controller writes to its status', () => {
    const crd = findOne(setup().docs, 'CustomResourceDefinition', 'nodeslicepools.whereabouts.cni.cncf.io');
    const status = crd.spec.versions[0].schema.openAPIV3Schema.properties.status;
    expect(status.required).toEqual(['allocations']);
    expect(status.properties.allocations.items).toEqual({
      type: 'object', required: ['nodeName', 'sliceRange'], properties: { nodeName: { type: 'string' }, sliceRange: { type: 'string' } },
    });
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

  test('the CRDs carry the CEL rules that replaced the validating webhook in v8', () => {
    const docs = setup().docs;
    const v1 = (name: string) => findOne(docs, 'CustomResourceDefinition', name).spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema.properties.spec;
    const rules = (schema: any) => (schema['x-kubernetes-validations'] ?? []).map((r: any) => r.rule).sort();
    const vs = v1('volumesnapshots.snapshot.storage.k8s.io');
    expect(rules(vs.properties.source.properties.persistentVolumeClaimName)).toEqual(['self == oldSelf']);
    expect(rules(vs.properties.source.properties.volumeSnapshotContentName)).toEqual(['self == oldSelf']);
    expect(rules(vs.properties.source)).toEqual([
      '!has(oldSelf.persistentVolumeClaimName) || has(self.persistentVolumeClaimName)',
      '!has(oldSelf.volumeSnapshotContentName) || has(self.volumeSnapshotContentName)',
      '(has(self.volumeSnapshotContentName) && !has(self.persistentVolumeClaimName)) || (!has(self.volumeSnapshotContentName) && has(self.persistentVolumeClaimName))',
    ]);
    expect(rules(vs.properties.volumeSnapshotClassName)).toEqual(['size(self) > 0']);
    const vsc = v1('volumesnapshotcontents.snapshot.storage.k8s.io');
    expect(rules(vsc.properties.source.properties.snapshotHandle)).toEqual(['self == oldSelf']);
    expect(rules(vsc.properties.source.properties.volumeHandle)).toEqual(['self == oldSelf']);
    expect(rules(vsc.properties.source)).toEqual([
      '!has(oldSelf.snapshotHandle) || has(self.snapshotHandle)',
      '!has(oldSelf.volumeHandle) || has(self.volumeHandle)',
      '(has(self.volumeHandle) && !has(self.snapshotHandle)) || (!has(self.volumeHandle) && has(self.snapshotHandle))',
    ]);
    expect(rules(vsc.properties.sourceVolumeMode)).toEqual(['self == oldSelf']);
    expect(rules(vsc)).toEqual(['!has(oldSelf.sourceVolumeMode) || has(self.sourceVolumeMode)']);
    expect(rules(vsc.properties.volumeSnapshotRef)).toEqual(['has(self.name) && has(self.__namespace__)']);
    expect(vsc.properties.volumeSnapshotRef['x-kubernetes-map-type']).toBe('atomic');
    for (const r of [...vs.properties.source['x-kubernetes-validations'], ...vsc['x-kubernetes-validations']]) expect(r.message).toMatch(/^\S/);
  });

  test('throws for zero replicas', () => {
    expect(() => new SnapshotController(Testing.chart(), 'snap', { replicas: 0 })).toThrow(/\[test\/snap\] 'replicas' must be a whole number of at least 1, got 0/);
  });
});
