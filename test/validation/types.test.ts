import { Duration, Size } from 'cdk8s';
import {
  optionalBoolean, optionalDuration, optionalEnum, optionalStringMap, requireArray, requireEnum, requireInstance,
  requireInterface, requireNumber, requireSize, requireString, requireStruct,
} from '../../src/validation';

enum Color { RED = 'Red', BLUE = 'Blue' }
class Widget { public static make(): Widget { return new Widget(); } }

describe('runtime shape checks', () => {
  test('accept the right shapes', () => {
    expect(() => requireString('a/b', 'name', 'x')).not.toThrow();
    expect(() => requireNumber('a/b', 'n', 3)).not.toThrow();
    expect(() => optionalBoolean('a/b', 'f', undefined)).not.toThrow();
    expect(() => requireSize('a/b', 'size', Size.gibibytes(1))).not.toThrow();
    expect(() => optionalDuration('a/b', 'd', Duration.seconds(3))).not.toThrow();
    expect(() => requireEnum('a/b', 'color', 'Red', Color, 'Color')).not.toThrow();
    expect(() => requireInstance('a/b', 'w', Widget.make(), Widget, 'Widget.make()')).not.toThrow();
    expect(requireArray('a/b', 'list', [1, 2])).toEqual([1, 2]);
    expect(requireStruct('a/b', 'props', undefined, true)).toEqual({});
    expect(() => optionalStringMap('a/b', 'labels', { a: 'b' })).not.toThrow();
  });

  test('refuse wrong shapes with the library error naming path, prop, value and fix', () => {
    expect(() => requireString('a/b', 'name', 5)).toThrow("[a/b] 'name' must be a string, not a number, got 5; set 'name' to a string");
    expect(() => requireNumber('a/b', 'n', NaN)).toThrow("'n' must be a finite number");
    expect(() => requireNumber('a/b', 'n', '3')).toThrow("'n' must be a number, not a string, got '3'");
    expect(() => optionalBoolean('a/b', 'f', 'yes')).toThrow("'f' must be true or false");
    expect(() => requireSize('a/b', 'memory', '2Gi')).toThrow("[a/b] 'memory' must be a Size, not a string, got '2Gi'; build it with Size.gibibytes(n)");
    expect(() => optionalDuration('a/b', 'd', 30)).toThrow("'d' must be a Duration, not a number");
    expect(() => requireEnum('a/b', 'color', 'Redd', Color, 'Color')).toThrow("[a/b] 'color' must be a member of Color, got 'Redd'; use one of Color.RED, Color.BLUE");
    expect(() => optionalEnum('a/b', 'color', 3, Color, 'Color')).toThrow('must be a member of Color');
    expect(() => requireInstance('a/b', 'w', { make: 1 }, Widget, 'Widget.make()')).toThrow("'w' must be a Widget, not an object, got {\"make\":1}; build it with Widget.make()");
    expect(() => requireArray('a/b', 'list', 'x')).toThrow("'list' must be a list, not a string");
    expect(() => requireArray('a/b', 'list', [1, 'x'], (e, p) => requireNumber('a/b', p, e))).toThrow("'list[1]' must be a number");
    expect(() => requireStruct('a/b', 'props', 'x')).toThrow("'props' must be an object of named settings, not a string");
    expect(() => requireStruct('a/b', 'props', null)).toThrow('not null');
    expect(() => optionalStringMap('a/b', 'labels', { a: 1 })).toThrow("'labels.a' must be a string, not a number");
    expect(() => requireInterface('a/b', 'network', { name: 'x' }, 'INetworkAttachmentDefinition', ['networkName', 'namespace'], 'pass a NetworkAttachmentDefinition'))
      .toThrow("'network' must be an INetworkAttachmentDefinition, got {\"name\":\"x\"}; pass a NetworkAttachmentDefinition");
  });
});
