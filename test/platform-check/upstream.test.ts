import * as fs from 'fs';
import * as path from 'path';
import { fillPlaceholders, partNamed, PARTS } from './upstream';
import { PlatformVersions } from '../../src';

describe('platform check upstream sources', () => {
  test('fills every ${NAME} of a template with its value', () => {
    expect(fillPlaceholders('image: ${REPO}/x:${TAG}\nns: ${REPO}', { REPO: 'r', TAG: 't' }, 'f.yml.in')).toBe('image: r/x:t\nns: r');
  });

  test('refuses a placeholder without a value, naming the file and the placeholder', () => {
    expect(() => fillPlaceholders('a: ${A}\nb: ${B}', { A: '1' }, 'mod@v1/f.yml.in')).toThrow('mod@v1/f.yml.in: no value for the placeholder ${B}');
  });

  test('a part without an upstream install says why and has no sources', () => {
    const parts = PARTS.filter(p => p.notCompared);
    expect(parts.map(p => p.name)).toEqual(['dhcp-daemon']);
    for (const p of parts) expect(p.sources).toEqual([]);
  });

  test('the node parts are compared at the versions the library pins', () => {
    expect(partNamed('ovs-cni').sources[0].module).toBe(`github.com/k8snetworkplumbingwg/ovs-cni@${PlatformVersions.OVS_CNI}`);
    const goMod = fs.readFileSync(path.join(__dirname, '..', 'cluster', partNamed('cni-plugins').sources[0].goModule!, 'go.mod'), 'utf-8');
    expect(goMod).toMatch(new RegExp(`^\\s*github\\.com/kubevirt/cluster-network-addons-operator ${PlatformVersions.CLUSTER_NETWORK_ADDONS.replace(/\./g, '\\.')}$`, 'm'));
    expect(() => partNamed('nope')).toThrow('no platform part named nope');
  });
});
