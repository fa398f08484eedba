/**
 * The CRDs the platform emits carry compact schemas this project writes.
 * Each is compared with the upstream CRD: same identity, versions and flags,
 * and every property we declare exists upstream at the same path with the
 * same type.
 */
import { Testing } from 'cdk8s';
import { VirtualizationPlatform } from '../../src/platform';
import { upstreamCrd } from '../conformance/schemas';
import { synthValid } from '../util';

/** The CRDs the platform emits: the operators' own CRs and those no operator installs. */
const EMITTED = [
  'kubevirts.kubevirt.io',
  'cdis.cdi.kubevirt.io',
  'network-attachment-definitions.k8s.cni.cncf.io',
  'ippools.whereabouts.cni.cncf.io',
  'overlappingrangeipreservations.whereabouts.cni.cncf.io',
  'nodeslicepools.whereabouts.cni.cncf.io',
  'volumesnapshots.snapshot.storage.k8s.io',
  'volumesnapshotclasses.snapshot.storage.k8s.io',
  'volumesnapshotcontents.snapshot.storage.k8s.io',
];

/** Describes the type of a schema node the way the API server sees it. */
function typeOf(schema: any): string {
  if (schema?.['x-kubernetes-int-or-string']) return 'int-or-string';
  return schema?.type ?? 'untyped';
}

/** Lists every declared property path of `ours` missing upstream or typed differently. */
function compareSchemas(ours: any, theirs: any, path: string, problems: string[]): void {
  if (typeOf(ours) !== typeOf(theirs)) {
    problems.push(`${path}: type ${typeOf(ours)} here, ${typeOf(theirs)} upstream`);
    return;
  }
  for (const [key, sub] of Object.entries<any>(ours.properties ?? {})) {
    const up = theirs.properties?.[key];
    if (!up) {
      problems.push(`${path}.${key}: not declared upstream`);
      continue;
    }
    compareSchemas(sub, up, `${path}.${key}`, problems);
  }
  if (ours.items) {
    if (!theirs.items) problems.push(`${path}[]: items not declared upstream`);
    else compareSchemas(ours.items, theirs.items, `${path}[]`, problems);
  }
  if (ours.additionalProperties && typeof ours.additionalProperties === 'object') {
    const up = theirs.additionalProperties;
    if (!up || typeof up !== 'object') problems.push(`${path}{}: additionalProperties not declared upstream`);
    else compareSchemas(ours.additionalProperties, up, `${path}{}`, problems);
  }
  for (const value of ours.enum ?? []) {
    if (theirs.enum && !theirs.enum.includes(value)) problems.push(`${path}: enum value '${value}' not allowed upstream`);
  }
}

const docs = synthValid(new VirtualizationPlatform(Testing.app(), 'platform'));
const crds = docs.filter(d => d.kind === 'CustomResourceDefinition');

test('the platform emits exactly the CRDs no operator installs', () => {
  expect(crds.map(c => c.metadata.name).sort()).toEqual([...EMITTED].sort());
});

describe.each(crds.map(c => [c.metadata.name, c]))('%s', (name, ours: any) => {
  const theirs = upstreamCrd(name);

  test('has the upstream group, names and scope', () => {
    expect(ours.metadata.name).toBe(theirs.metadata.name);
    expect(ours.spec.group).toBe(theirs.spec.group);
    expect(ours.spec.scope).toBe(theirs.spec.scope);
    const n = ours.spec.names;
    const u = theirs.spec.names;
    expect({ plural: n.plural, singular: n.singular, kind: n.kind }).toEqual({ plural: u.plural, singular: u.singular, kind: u.kind });
    expect([...(n.shortNames ?? [])].sort()).toEqual([...(u.shortNames ?? [])].sort());
    if (u.listKind) expect(n.listKind).toBe(u.listKind);
  });

  test('keeps the api-approved annotation where upstream has one', () => {
    const approved = theirs.metadata.annotations?.['api-approved.kubernetes.io'];
    expect(ours.metadata.annotations?.['api-approved.kubernetes.io']).toBe(approved);
  });

  test('has the upstream versions with the same served and storage flags', () => {
    const flags = (crd: any) => crd.spec.versions.map((v: any) => `${v.name}:${v.served}:${v.storage}`).sort();
    expect(flags(ours)).toEqual(flags(theirs));
    for (const v of ours.spec.versions) {
      const up = theirs.spec.versions.find((x: any) => x.name === v.name);
      expect(`${v.name} status=${v.subresources?.status !== undefined}`).toBe(`${v.name} status=${up.subresources?.status !== undefined}`);
    }
  });

  test('shows the same printer columns as upstream', () => {
    for (const v of ours.spec.versions) {
      const up = theirs.spec.versions.find((x: any) => x.name === v.name);
      const cols = (x: any) => (x.additionalPrinterColumns ?? []).map((c: any) => `${c.name}:${c.type}:${c.jsonPath}`);
      if (v.served) expect(cols(v)).toEqual(cols(up));
    }
  });

  test('declares only properties upstream has, with the same types', () => {
    for (const v of ours.spec.versions) {
      const up = theirs.spec.versions.find((x: any) => x.name === v.name);
      if (!up.served) continue; // unserved versions only need to exist
      const problems: string[] = [];
      compareSchemas(v.schema.openAPIV3Schema, up.schema.openAPIV3Schema, `${v.name}`, problems);
      expect(problems).toEqual([]);
    }
  });

  test('has a structural schema: every object either lists properties or keeps unknown fields', () => {
    const problems: string[] = [];
    const walk = (s: any, path: string) => {
      if (s.type === 'object' && !s.properties && !s.additionalProperties && !s['x-kubernetes-preserve-unknown-fields'] && path !== 'metadata') {
        problems.push(path);
      }
      for (const [k, sub] of Object.entries<any>(s.properties ?? {})) walk(sub, k === 'metadata' && path === '' ? 'metadata' : `${path}.${k}`);
      if (s.items) walk(s.items, `${path}[]`);
    };
    for (const v of ours.spec.versions) walk(v.schema.openAPIV3Schema, '');
    expect(problems).toEqual([]);
  });
});
