import { validateManifest } from './schemas';

describe('the schema validator', () => {
  const vm = {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: 'vm', namespace: 'ns' },
    spec: {
      runStrategy: 'Always',
      template: {
        spec: {
          domain: { devices: {}, memory: { guest: '1Gi' } },
        },
      },
    },
  };

  test('accepts a minimal VirtualMachine', () => {
    expect(validateManifest(vm)).toEqual([]);
  });

  test('rejects fields the API does not know', () => {
    const bad = { ...vm, spec: { ...vm.spec, runStrategyy: 'Always' } };
    expect(validateManifest(bad).join()).toContain('runStrategyy');
  });

  test('rejects wrong types and enum values', () => {
    const bad = { ...vm, spec: { ...vm.spec, template: { spec: { domain: { devices: {}, cpu: { cores: 'two' } } } } } };
    expect(validateManifest(bad).join()).toContain('/spec/template/spec/domain/cpu/cores');
  });

  test('rejects invalid metadata names', () => {
    expect(validateManifest({ ...vm, metadata: { name: 'Bad_Name' } }).length).toBeGreaterThan(0);
  });

  test('rejects kinds it has no schema for', () => {
    expect(validateManifest({ apiVersion: 'x/v1', kind: 'Y', metadata: { name: 'a' } })).toEqual(['x/v1/Y a: no schema known for this kind']);
  });

  test('accepts a NetworkAttachmentDefinition and rejects a non-string config', () => {
    const nad = { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'n', namespace: 'ns' }, spec: { config: '{}' } };
    expect(validateManifest(nad)).toEqual([]);
    expect(validateManifest({ ...nad, spec: { config: {} } }).length).toBeGreaterThan(0);
  });

  test('accepts RBAC names with colons but not with slashes', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'kubevirt.io:operator' } };
    expect(validateManifest(role)).toEqual([]);
    expect(validateManifest({ ...role, metadata: { name: 'a/b' } }).length).toBeGreaterThan(0);
    expect(validateManifest({ ...role, metadata: { name: '..' } }).length).toBeGreaterThan(0);
    expect(validateManifest({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a:b', namespace: 'n' } }).length).toBeGreaterThan(0);
  });

  describe('nmstate.io kinds, against the CRDs of kubernetes-nmstate', () => {
    const nncp = (apiVersion: string, spec: any) => ({
      apiVersion, kind: 'NodeNetworkConfigurationPolicy', metadata: { name: 'br1' }, spec,
    });
    const good = { nodeSelector: { 'kubernetes.io/os': 'linux' }, maxUnavailable: '50%', desiredState: { interfaces: [{ name: 'br1', type: 'linux-bridge' }] } };

    test.each(['nmstate.io/v1', 'nmstate.io/v1beta1'])('a %s policy is checked by the upstream schema, not by metadata alone', apiVersion => {
      expect(validateManifest(nncp(apiVersion, good))).toEqual([]);
      expect(validateManifest(nncp(apiVersion, { ...good, maxUnavailable: 2 }))).toEqual([]);
      expect(validateManifest(nncp(apiVersion, { ...good, maxUnavailable: true })).join()).toContain('/spec/maxUnavailable');
      expect(validateManifest(nncp(apiVersion, { ...good, desiredStates: {} })).join()).toContain("'desiredStates'");
      expect(validateManifest(nncp(apiVersion, { ...good, nodeSelector: { role: 1 } })).join()).toContain('/spec/nodeSelector/role');
    });

    test('policies are cluster-scoped', () => {
      const namespaced = nncp('nmstate.io/v1', good);
      expect(validateManifest({ ...namespaced, metadata: { name: 'br1', namespace: 'default' } }).join()).toContain("'namespace'");
    });

    test('the other kinds have their upstream schemas too', () => {
      expect(validateManifest({ apiVersion: 'nmstate.io/v1', kind: 'NMState', metadata: { name: 'nmstate' }, spec: { nodeSelector: { a: 'b' } } })).toEqual([]);
      expect(validateManifest({ apiVersion: 'nmstate.io/v1', kind: 'NMState', metadata: { name: 'nmstate' }, spec: { handlerImage: 'x' } }).join()).toContain("'handlerImage'");
      expect(validateManifest({ apiVersion: 'nmstate.io/v1beta1', kind: 'NodeNetworkState', metadata: { name: 'node1' }, status: { currentState: { interfaces: [] }, handlerNmstateVersion: 2 } }).join())
        .toContain('/status/handlerNmstateVersion');
      expect(validateManifest({ apiVersion: 'nmstate.io/v1beta1', kind: 'NodeNetworkConfigurationEnactment', metadata: { name: 'node1.br1' }, status: { policyGeneration: 'one' } }).join())
        .toContain('/status/policyGeneration');
    });
  });
});
