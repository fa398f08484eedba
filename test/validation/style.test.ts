import { App, Chart, Size } from 'cdk8s';
import {
  formatPropError, optionalAnnotations, optionalIntegerAtLeast, optionalLabels, optionalShape, propPath,
  PropPath, requireDns1123Label, requirePort, requireShape, Shape,
} from '../../src/validation';

describe('prop paths', () => {
  test('join a field below its parent, an index in brackets, the field alone at the top', () => {
    expect(propPath('ipam', 'range')).toBe('ipam.range');
    expect(propPath('plugins[0].ipam', 'routes')).toBe('plugins[0].ipam.routes');
    expect(propPath('disks', 2)).toBe('disks[2]');
    expect(propPath('', 'size')).toBe('size');
    expect(propPath('', 0)).toBe('[0]');
  });

  test('a PropPath names the construct and the full path of the bad value', () => {
    const chart = new Chart(new App(), 'c');
    const at = new PropPath(chart, 'plugins[0]');
    expect(at.prop('ipam')).toBe('plugins[0].ipam');
    expect(at.prop('[1]')).toBe('plugins[0][1]');
    expect(new PropPath(chart, '').prop('mtu')).toBe('mtu');
    expect(at.child('ipam').child('ranges[0][1]').prefix).toBe('plugins[0].ipam.ranges[0][1]');
    expect(() => at.child('ipam').fail('range', '10.0.0.0', 'must be a CIDR block', 'add /prefix-length'))
      .toThrow("[c] 'plugins[0].ipam.range' must be a CIDR block, got '10.0.0.0'; add /prefix-length");
  });
});

describe('eager rules', () => {
  test('requirePort takes whole numbers in the range and refuses others with the range in the fix', () => {
    expect(() => requirePort('a/b', 'port', 443)).not.toThrow();
    expect(() => requirePort('a/b', 'port', 65535)).not.toThrow();
    expect(() => requirePort('a/b', 'port', 0)).toThrow("[a/b] 'port' must be a whole number between 1 and 65535, got 0; pick a port in 1-65535");
    expect(() => requirePort('a/b', 'port', 80.5)).toThrow("'port' must be a whole number between 1 and 65535, got 80.5");
    expect(() => requirePort('a/b', 'port', '80')).toThrow("[a/b] 'port' must be a number, not a string, got '80'; set 'port' to a number");
    expect(() => requirePort('a/b', 'nodePort', 8080, 30000, 32767)).toThrow("'nodePort' must be a whole number between 30000 and 32767, got 8080; pick a port in 30000-32767");
  });

  test('requireDns1123Label suggests a name, or gives the fix it is handed', () => {
    expect(() => requireDns1123Label('a/b', 'namespace', 'team-a')).not.toThrow();
    expect(() => requireDns1123Label('a/b', 'namespace', 'Team_A')).toThrow("; use a name such as 'team-a'");
    expect(() => requireDns1123Label('a/b', 'namespace', 'Team_A', 63, 'give the name of a namespace')).toThrow(/got 'Team_A'; give the name of a namespace$/);
    expect(() => requireDns1123Label('a/b', 'namespace', 7)).toThrow("'namespace' must be a string, not a number");
  });

  test('optionalIntegerAtLeast lets undefined pass and refuses a wrong type before a wrong value', () => {
    expect(() => optionalIntegerAtLeast('a/b', 'n', undefined, 1)).not.toThrow();
    expect(() => optionalIntegerAtLeast('a/b', 'n', 0, 0)).not.toThrow();
    expect(() => optionalIntegerAtLeast('a/b', 'n', 0, 1)).toThrow("[a/b] 'n' must be a whole number of at least 1, got 0; set 'n' to 1 or more");
    expect(() => optionalIntegerAtLeast('a/b', 'n', '2', 1)).toThrow("'n' must be a number, not a string, got '2'");
  });

  test('optionalLabels and optionalAnnotations let undefined pass and refuse bad keys and values', () => {
    expect(() => optionalLabels('a/b', 'labels', undefined)).not.toThrow();
    expect(() => optionalLabels('a/b', 'labels', { app: 'x'.repeat(64) })).toThrow("[a/b] 'labels.app' must be at most 63 characters");
    expect(() => optionalAnnotations('a/b', 'annotations', { 'bad key': 'x' })).toThrow("'annotations' key must end in a name");
  });

  test('requireShape names top-level fields alone and nested ones by their path; the former names still work', () => {
    const rules = { size: Shape.size, options: Shape.optStruct({ tag: Shape.optString, ports: Shape.optArray(Shape.number) }) };
    expect(() => requireShape('a/b', 'props', { size: Size.gibibytes(1) }, rules)).not.toThrow();
    expect(() => requireShape('a/b', 'props', { size: 1 }, rules)).toThrow("[a/b] 'size' must be a Size, not a number");
    expect(() => requireShape('a/b', 'props', { size: Size.gibibytes(1), options: { ports: [1, 'x'] } }, rules))
      .toThrow("'options.ports[1]' must be a number, not a string");
    expect(() => requireShape('a/b', 'attrs', { size: 'x' }, rules)).toThrow("'attrs.size' must be a Size");
    expect(() => optionalShape('a/b', 'options', undefined, rules)).not.toThrow();
    expect(() => optionalShape('a/b', 'options', 3, rules)).toThrow("'options' must be an object of named settings, not a number");
  });
});

describe('graph rules', () => {
  test('formatPropError writes the message without the construct path, which cdk8s adds', () => {
    expect(formatPropError('metadata.name', 'web', 'names two Service objects', 'rename one'))
      .toBe("'metadata.name' names two Service objects, got 'web'; rename one");
  });
});
