import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE, MissingNamespace, NO_NAMESPACE, pickNamespace, resolveNamespace } from '../../src/private/namespace';

describe('the namespace rule', () => {
  const inChart = (namespace?: string) => new Construct(new Chart(new App(), 'chart', { namespace }), 'object');

  test('takes the given namespace, else the chart\'s, else default', () => {
    expect(resolveNamespace(inChart('apps'), 'given')).toBe('given');
    expect(resolveNamespace(inChart('apps'), undefined)).toBe('apps');
    expect(resolveNamespace(inChart(), undefined)).toBe(DEFAULT_NAMESPACE);
    expect(DEFAULT_NAMESPACE).toBe('default');
    expect(pickNamespace(inChart('apps'), undefined)).toBe('apps');
    expect(pickNamespace(inChart(), undefined)).toBe('default');
  });

  test('outside any chart, falls back to default, or to cdk8s\'s error where there is no default', () => {
    const loose = new Construct(new App(), 'loose');
    expect(resolveNamespace(loose, undefined)).toBe('default');
    expect(pickNamespace(loose, undefined)).toBe('default');
    expect(resolveNamespace(loose, 'given', MissingNamespace.REFERENCED)).toBe('given');
    expect(() => resolveNamespace(loose, undefined, MissingNamespace.REFERENCED)).toThrow('cannot find a parent chart');
    expect(() => resolveNamespace(loose, undefined, NO_NAMESPACE)).toThrow('cannot find a parent chart');
  });

  test('leaves the namespace out where the caller says the object may go without one', () => {
    expect(resolveNamespace(inChart(), undefined, NO_NAMESPACE)).toBeUndefined();
    expect(resolveNamespace(inChart('apps'), undefined, NO_NAMESPACE)).toBe('apps');
  });

  test('refuses a missing namespace with the caller\'s message', () => {
    expect(() => resolveNamespace(inChart(), undefined, MissingNamespace.of('VM')))
      .toThrow("[chart/object] 'namespace' must be given (the chart has no namespace either), got undefined; set namespace on the VM or on its chart");
    expect(() => resolveNamespace(inChart(), undefined, MissingNamespace.REFERENCED))
      .toThrow("[chart/object] 'namespace' is required because other objects reference this one by namespace, got undefined; set 'namespace' here or on the chart");
  });

  test('refuses a namespace that is not a string or not a DNS-1123 label', () => {
    expect(() => resolveNamespace(inChart(), 42 as any)).toThrow("[chart/object] 'namespace' must be a string, not a number, got 42; set 'namespace' to a string");
    expect(() => resolveNamespace(inChart('Apps'), undefined)).toThrow(/^\[chart\/object\] 'namespace' must be a DNS-1123 label: .*, got 'Apps'; use a name such as 'apps'$/);
  });
});
