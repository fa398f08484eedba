import { ApiObject, Chart, Testing } from 'cdk8s';
import { DataSource, DataSourceSource } from '../../src/storage';
import { findOne, synthValid } from '../util';

function chart(namespace?: string): Chart {
  return new Chart(Testing.app(), 'test', namespace ? { namespace } : {});
}

describe('DataSource', () => {
  test('defaults: points at a PVC in the chart namespace', () => {
    const c = chart('golden');
    new DataSource(c, 'fedora', { name: 'fedora', source: DataSourceSource.pvc('golden', 'fedora') });
    const doc = findOne(synthValid(c), 'DataSource');
    expect(doc).toMatchSnapshot();
    expect(doc.spec).toEqual({ source: { pvc: { name: 'fedora', namespace: 'golden' } } });
  });

  test('ApiObject.of returns the DataSource object', () => {
    const ds = new DataSource(chart('golden'), 'fedora', { source: DataSourceSource.pvc('golden', 'fedora') });
    expect(ApiObject.of(ds).kind).toBe('DataSource');
    expect(ds.name).toBe(ApiObject.of(ds).name);
  });

  test('points at a snapshot, with labels', () => {
    const c = chart();
    const ds = new DataSource(c, 'fedora', {
      name: 'fedora', namespace: 'golden', source: DataSourceSource.snapshot('golden', 'fedora-snap'), labels: { os: 'fedora' },
    });
    expect([ds.name, ds.namespace, ds.source.name]).toEqual(['fedora', 'golden', 'fedora-snap']);
    const doc = findOne(synthValid(c), 'DataSource');
    expect(doc.metadata).toEqual({ name: 'fedora', namespace: 'golden', labels: { os: 'fedora' } });
    expect(doc.spec).toEqual({ source: { snapshot: { name: 'fedora-snap', namespace: 'golden' } } });
  });

  test('throws without a namespace', () => {
    expect(() => new DataSource(chart(), 'ds', { source: DataSourceSource.pvc('golden', 'fedora') }))
      .toThrow(/\[test\/ds\] 'namespace' is required/);
  });

  test('throws for invalid references', () => {
    expect(() => DataSourceSource.pvc('Golden', 'fedora')).toThrow(/'namespace' must be a DNS-1123 label.*got 'Golden'; give the namespace of the volume/);
    expect(() => DataSourceSource.snapshot('golden', 'Fedora 41')).toThrow(/'name' must be a DNS-1123 subdomain.*got 'Fedora 41'; give the name of the volume/);
  });

  test('fromDataSourceName references an existing DataSource', () => {
    const c = chart();
    const ds = DataSource.fromDataSourceName(c, 'x', 'fedora', { namespace: 'openshift-virtualization-os-images' });
    expect([ds.name, ds.namespace]).toEqual(['fedora', 'openshift-virtualization-os-images']);
    expect(() => DataSource.fromDataSourceName(c, 'y', 'Fedora', { namespace: 'a' })).toThrow(/\[test\] 'name' must be a DNS-1123 subdomain/);
  });
});
