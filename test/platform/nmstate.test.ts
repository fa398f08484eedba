import { ApiObject, Testing } from 'cdk8s';
import { DefaultImages, Nmstate, VirtualizationPlatform } from '../../src';
import { upstreamCrd } from '../conformance/schemas';
import { findOne, synthValid } from '../util';
import { allows } from './rbac-allows';

/** The documents of a default `Nmstate`, schema-checked. */
function synthNmstate(): any[] {
  const chart = Testing.chart();
  new Nmstate(chart, 'nmstate');
  return synthValid(chart);
}

/** A CRD's spec without its prose: every `description` that is text, at any depth. */
function withoutProse(value: any): any {
  if (Array.isArray(value)) return value.map(withoutProse);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => !(k === 'description' && typeof v === 'string')).map(([k, v]) => [k, withoutProse(v)]));
}

/** Where the spec of our CRD differs from upstream's, as JSON paths (empty when identical). */
function differences(ours: any, theirs: any, path = 'spec'): string[] {
  if (ours === null || theirs === null || typeof ours !== 'object' || typeof theirs !== 'object' || Array.isArray(ours) !== Array.isArray(theirs)) {
    return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : [`${path}: ${JSON.stringify(ours)} here, ${JSON.stringify(theirs)} upstream`];
  }
  const keys = Array.from(new Set([...Object.keys(ours), ...Object.keys(theirs)])).sort();
  return keys.flatMap(k => differences(ours[k], theirs[k], `${path}.${k}`));
}

describe('Nmstate', () => {
  test('installs the nmstate.io CRDs, RBAC and the handler with its pinned image', () => {
    const chart = Testing.chart();
    const nmstate = new Nmstate(chart, 'nmstate');
    const docs = synthValid(chart);
    expect(DefaultImages.NMSTATE_HANDLER).toBe('quay.io/nmstate/kubernetes-nmstate-handler:v0.86.0');
    const ds = findOne(docs, 'DaemonSet', 'nmstate-handler');
    expect(ApiObject.of(nmstate)).toBeDefined();
    expect(ApiObject.of(nmstate).kind).toBe('DaemonSet');
    expect(ds.metadata.namespace).toBe('nmstate');
    expect(ds.spec.template.spec.hostNetwork).toBe(true);
    expect(ds.spec.template.spec.containers[0].image).toBe(DefaultImages.NMSTATE_HANDLER);
    expect(ds.spec.template.spec.containers[0].securityContext).toEqual({ privileged: true });
    const crds = docs.filter(d => d.kind === 'CustomResourceDefinition').map(d => d.metadata.name).sort();
    expect(crds).toEqual(['nodenetworkconfigurationenactments.nmstate.io', 'nodenetworkconfigurationpolicies.nmstate.io', 'nodenetworkstates.nmstate.io']);
    const nncp = findOne(docs, 'CustomResourceDefinition', 'nodenetworkconfigurationpolicies.nmstate.io');
    expect(nncp.spec.scope).toBe('Cluster');
    expect(nncp.spec.names.shortNames).toEqual(['nncp']);
    expect(nncp.spec.versions.map((v: any) => [v.name, v.storage])).toEqual([['v1', true], ['v1beta1', false]]);
    const spec = nncp.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
    expect(Object.keys(spec).sort()).toEqual(['capture', 'desiredState', 'maxUnavailable', 'nodeSelector']);
    expect(spec.desiredState['x-kubernetes-preserve-unknown-fields']).toBe(true);
    const role = findOne(docs, 'ClusterRole', 'nmstate-handler');
    expect(role.rules[0]).toEqual({ apiGroups: ['nmstate.io'], resources: ['*'], verbs: ['*'] });
    expect(findOne(docs, 'Namespace', 'nmstate').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  describe.each([
    'nodenetworkconfigurationpolicies.nmstate.io',
    'nodenetworkconfigurationenactments.nmstate.io',
    'nodenetworkstates.nmstate.io',
  ])('the CRD %s', name => {
    test('is the one kubernetes-nmstate v0.86.0 ships: group, names, scope, versions, columns and schemas', () => {
      const ours = findOne(synthNmstate(), 'CustomResourceDefinition', name);
      expect(differences(withoutProse(ours.spec), withoutProse(upstreamCrd(name).spec))).toEqual([]);
    });
  });

  test('the CRD comparison notices a type, a required field or a flag that differs', () => {
    const up = withoutProse(upstreamCrd('nodenetworkconfigurationpolicies.nmstate.io').spec);
    const changed = JSON.parse(JSON.stringify(up));
    changed.versions[0].schema.openAPIV3Schema.properties.spec.properties.maxUnavailable = { type: 'string' };
    changed.versions[0].schema.openAPIV3Schema.properties.status.properties.conditions.items.required = ['type'];
    changed.versions[1].deprecated = false;
    expect(differences(changed, up)).toEqual([
      expect.stringMatching(/^spec\.versions\.0\.schema\.openAPIV3Schema\.properties\.spec\.properties\.maxUnavailable\.anyOf: undefined here/),
      expect.stringMatching(/^spec\.versions\.0\.schema\.openAPIV3Schema\.properties\.spec\.properties\.maxUnavailable\.type: "string" here, undefined upstream/),
      expect.stringMatching(/^spec\.versions\.0\.schema\.openAPIV3Schema\.properties\.spec\.properties\.maxUnavailable\.x-kubernetes-int-or-string: /),
      'spec.versions.0.schema.openAPIV3Schema.properties.status.properties.conditions.items.required.0: "type" here, "status" upstream',
      'spec.versions.0.schema.openAPIV3Schema.properties.status.properties.conditions.items.required.1: undefined here, "type" upstream',
      'spec.versions.1.deprecated: false here, true upstream',
    ]);
  });

  test('the handler has what upstream v0.86.0 gives it: events in default, systemd .link files, a liveness probe', () => {
    const docs = synthNmstate();
    // events on cluster-scoped policies are recorded in `default`
    const events = findOne(docs, 'Role', 'nmstate-handler-events');
    expect(events.metadata.namespace).toBe('default');
    expect(allows(events.rules, '', 'events', 'create')).toBe(true);
    expect(allows(events.rules, '', 'events', 'delete')).toBe(false);
    expect(allows(events.rules, '', 'secrets', 'get')).toBe(false);
    const binding = findOne(docs, 'RoleBinding', 'nmstate-handler-events');
    expect(binding.metadata.namespace).toBe('default');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'nmstate-handler-events' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'nmstate-handler', namespace: 'nmstate' }]);
    expect(findOne(docs, 'RoleBinding', 'nmstate-handler').roleRef.name).toBe('nmstate-handler');

    const pod = findOne(docs, 'DaemonSet', 'nmstate-handler').spec.template.spec;
    const container = pod.containers[0];
    expect(pod.volumes).toContainEqual({ name: 'systemd-network', hostPath: { path: '/etc/systemd/network', type: 'DirectoryOrCreate' } });
    expect(container.volumeMounts).toContainEqual({ name: 'systemd-network', mountPath: '/etc/systemd/network' });
    expect(pod.volumes.map((v: any) => v.name).sort()).toEqual(container.volumeMounts.map((m: any) => m.name).sort());
    expect(container.livenessProbe).toEqual({
      exec: { command: ['bash', '-c', 'nmstatectl show 2>&1'] }, initialDelaySeconds: 60, periodSeconds: 60, timeoutSeconds: 10, failureThreshold: 5,
    });
    expect(container.readinessProbe.exec.command).toEqual(['cat', '/tmp/healthy']);
    expect(container.env.map((e: any) => e.name)).toEqual(['WATCH_NAMESPACE', 'POD_NAME', 'OPERATOR_NAME', 'NODE_NAME', 'NMSTATE_INSTANCE_NODE_LOCK_FILE']);
  });

  test('installs upstream\'s ValidatingAdmissionPolicy for policies, bound to deny', () => {
    const docs = synthNmstate();
    const policy = findOne(docs, 'ValidatingAdmissionPolicy', 'nncp-validation-policy');
    expect(policy.spec.failurePolicy).toBe('Fail');
    expect(policy.spec.matchConstraints.resourceRules).toEqual([{
      apiGroups: ['nmstate.io'], apiVersions: ['v1', 'v1beta1'], resources: ['nodenetworkconfigurationpolicies'], operations: ['CREATE', 'UPDATE'],
    }]);
    const rules = policy.spec.validations.map((v: any) => v.expression);
    expect(rules).toHaveLength(4);
    expect(rules[0]).toContain('size(object.metadata.name) <= 63');
    expect(rules[1]).toContain("c.reason != 'ConfigurationProgressing'");
    expect(rules[2]).toContain('object.spec.capture == oldObject.spec.capture');
    expect(rules[3]).toContain('format.labelValue()');
    expect(policy.spec.validations.map((v: any) => v.reason)).toEqual(['Invalid', 'Forbidden', 'Invalid', 'Invalid']);
    const binding = findOne(docs, 'ValidatingAdmissionPolicyBinding', 'nncp-validation-policy-binding');
    expect(binding.spec).toEqual({ policyName: 'nncp-validation-policy', validationActions: ['Deny'] });
  });

  test('takes an image override', () => {
    const chart = Testing.chart();
    new Nmstate(chart, 'nmstate', { image: { registry: 'mirror.example.com/nmstate' } });
    const ds = findOne(synthValid(chart), 'DaemonSet', 'nmstate-handler');
    expect(ds.spec.template.spec.containers[0].image).toBe('mirror.example.com/nmstate/kubernetes-nmstate-handler:v0.86.0');
  });

  test('refuses wrong shapes with the library error', () => {
    expect(() => new Nmstate(Testing.chart(), 'a', 'x' as any)).toThrow(/'props' must be an object/);
    expect(() => new Nmstate(Testing.chart(), 'b', { imagePullPolicy: 'Sometimes' as any })).toThrow(/'imagePullPolicy' must be a member of ImagePullPolicy/);
  });

  test('is off in the platform unless enabled', () => {
    const app = Testing.app();
    const off = new VirtualizationPlatform(app, 'off');
    expect(off.nmstate).toBeUndefined();
    expect(Testing.synth(off).some(d => d.kind === 'DaemonSet' && d.metadata.name === 'nmstate-handler')).toBe(false);
    const on = new VirtualizationPlatform(Testing.app(), 'on', { nmstate: { enabled: true } });
    expect(on.nmstate).toBeInstanceOf(Nmstate);
    findOne(synthValid(on), 'DaemonSet', 'nmstate-handler');
  });
});
