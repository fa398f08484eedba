import { Testing } from 'cdk8s';
import { DefaultImages, Multus, PlatformVersions } from '../../src/platform';
import { isPinned } from '../../src/platform/private/image';
import { synthValid } from '../util';

const multus = (image: any) => new Multus(Testing.chart(), 'm', { image });

describe('default images', () => {
  test('are pinned to the versions in PlatformVersions', () => {
    expect(DefaultImages.VIRT_OPERATOR).toBe(`quay.io/kubevirt/virt-operator:${PlatformVersions.KUBEVIRT}`);
    expect(DefaultImages.CDI_OPERATOR).toBe('quay.io/kubevirt/cdi-operator:v1.66.0');
    expect(DefaultImages.MULTUS).toBe('ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick');
    expect(DefaultImages.WHEREABOUTS).toBe('ghcr.io/k8snetworkplumbingwg/whereabouts:v0.9.4');
    expect(DefaultImages.SNAPSHOT_CONTROLLER).toBe('registry.k8s.io/sig-storage/snapshot-controller:v8.6.0');
    // multi-networkpolicy-iptables has no release image: only its repository is recorded
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const mnp = DefaultImages.MULTI_NETWORK_POLICY;
    expect(mnp).toBe('ghcr.io/k8snetworkplumbingwg/multi-networkpolicy-iptables');
    expect(isPinned(mnp)).toBe(false);
    for (const image of Object.values(DefaultImages).filter(i => i !== mnp)) expect(isPinned(image as string)).toBe(true);
  });
});

describe('ImageOverride', () => {
  test('registry keeps name and tag', () => {
    expect(multus({ registry: 'registry.internal:5000/plumbing' }).image).toBe('registry.internal:5000/plumbing/multus-cni:v4.3.0-thick');
  });

  test('repository and tag replace both', () => {
    const m = multus({ repository: 'registry.internal/multus', tag: 'v4.3.0-thick-fips' });
    expect(m.image).toBe('registry.internal/multus:v4.3.0-thick-fips');
    synthValid(m.node.scope as any);
  });

  test.each([
    [{ tag: 'latest' }, /'image.tag' must pin a release, not a moving tag, got 'latest'/],
    [{ tag: '' }, /'image.tag' must be a non-empty image tag/],
    [{ repository: 'mirror/multus:latest' }, /'image.repository' must not carry a tag or digest, got 'mirror\/multus:latest'; put the tag in 'tag'/],
    [{ repository: 'mirror/multus@sha256:abc' }, /'image.repository' must not carry a tag or digest/],
    [{ repository: 'multus' }, /'image.repository' must be a full repository with registry and image name/],
    [{ registry: 'mirror.local/', tag: 'v1' }, /'image.registry' must be a registry host/],
    [{ registry: 'a.io', repository: 'a.io/b' }, /'image.repository' cannot be combined with 'registry'/],
    [{ tag: 'v1', digest: 'sha256:' + 'a'.repeat(64) }, /'image.digest' cannot be combined with 'tag'/],
    [{ digest: 'sha256:xyz' }, /\[test\/m\] 'image.digest' must be 'sha256:' followed by 64 lowercase hex digits, got 'sha256:xyz'/],
  ])('rejects %j', (image, message) => {
    expect(() => multus(image)).toThrow(message);
  });

  test('isPinned rejects untagged and latest references', () => {
    expect(isPinned('quay.io/kubevirt/virt-operator')).toBe(false);
    expect(isPinned('quay.io/kubevirt/virt-operator:latest')).toBe(false);
    expect(isPinned('localhost:5000/virt-operator')).toBe(false);
    expect(isPinned('localhost:5000/virt-operator:v1')).toBe(true);
  });
});
