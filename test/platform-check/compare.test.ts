import { compare, schema, Difference } from './compare';

const daemonSet = (mounts: any[], volumes: any[]) => ({
  kind: 'DaemonSet',
  spec: { template: { spec: { containers: [{ name: 'c', image: 'i', volumeMounts: mounts }], volumes } } },
});
const paths = (ds: Difference[]) => ds.map(d => d.path);

describe('platform check comparison', () => {
  test('a volume mount upstream has and ours lacks is a difference at the mount path', () => {
    const ours = daemonSet([{ name: 'cni', mountPath: '/host/etc/cni/net.d' }], [{ name: 'cni', hostPath: { path: '/etc/cni/net.d' } }]);
    const upstream = daemonSet(
      [{ name: 'cni', mountPath: '/host/etc/cni/net.d' }, { name: 'cnibin', mountPath: '/opt/cni/bin' }],
      [{ name: 'cni', hostPath: { path: '/etc/cni/net.d/' } }],
    );
    const diffs = compare(ours, upstream);
    expect(paths(diffs)).toEqual(['spec.template.spec.containers[c].volumeMounts[/opt/cni/bin]']);
    expect(diffs[0].ours).toBeUndefined();
  });

  test('API defaults and empty values are no difference', () => {
    const ours = { kind: 'Deployment', spec: { template: { spec: { containers: [{ name: 'c', ports: [{ name: 'm', containerPort: 1 }] }] } } } };
    const upstream = { kind: 'Deployment', spec: { replicas: 1, template: { spec: { tolerations: [], containers: [{ name: 'c', env: [], ports: [{ name: 'm', containerPort: 1, protocol: 'TCP' }] }] } } } };
    expect(compare(ours, upstream)).toEqual([]);
  });

  test('RBAC is compared by what it allows: wildcards cover, missing verbs are named', () => {
    const ours = { kind: 'ClusterRole', rules: [{ apiGroups: ['x.io'], resources: ['*'], verbs: ['*'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
    const upstream = { kind: 'ClusterRole', rules: [{ apiGroups: ['x.io'], resources: ['a', 'b'], verbs: ['get'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] };
    const diffs = compare(ours, upstream);
    expect(diffs).toContainEqual({ path: 'rules[apiGroups="",resources=pods] missing', ours: undefined, upstream: ['list'] });
    expect(paths(diffs)).toEqual(['rules[apiGroups="",resources=pods] missing', 'rules[apiGroups=x.io,resources=*] extra']);
  });

  test('a CEL rule upstream declares and ours lacks is a difference, also under a node ours leaves open', () => {
    const upstreamSource = { type: 'object', properties: { a: { 'type': 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'm' }] } } };
    const out: Difference[] = [];
    schema(out, 's', { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true }, { type: 'object', properties: { source: upstreamSource } });
    expect(out).toContainEqual({ path: 's.properties.source (CEL rules)', ours: undefined, upstream: ['s.source.a: self == oldSelf'] });
    const closed: Difference[] = [];
    schema(closed, 's', { type: 'object', properties: { a: { type: 'string' } } }, upstreamSource);
    expect(closed).toEqual([{ path: 's.properties.a.x-kubernetes-validations', ours: undefined, upstream: ['self == oldSelf'] }]);
  });
});
