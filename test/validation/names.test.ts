import { Testing } from 'cdk8s';
import {
  checkDns1123Label, checkDns1123Subdomain, describeValue, formatPropError, isValidVlan, propError, suggestDns1123Label,
} from '../../src/validation';

describe('DNS-1123 names', () => {
  test.each(['a', 'my-vm', 'vm-0', '0abc', 'a'.repeat(63)])('accepts label %p', n => {
    expect(checkDns1123Label(n)).toBeUndefined();
  });

  test.each(['', 'My-VM', '-a', 'a-', 'a_b', 'a.b', 'a'.repeat(64)])('rejects label %p', n => {
    expect(checkDns1123Label(n)).toBeDefined();
  });

  test('reports the length of a name that is too long', () => {
    expect(checkDns1123Label('a'.repeat(64))).toBe('must be at most 63 characters (it is 64)');
  });

  test.each(['a.b', 'golden-images.example', 'a'.repeat(253)])('accepts subdomain %p', n => {
    expect(checkDns1123Subdomain(n)).toBeUndefined();
  });

  test.each(['a..b', '.a', 'A.b', 'a'.repeat(254)])('rejects subdomain %p', n => {
    expect(checkDns1123Subdomain(n)).toBeDefined();
  });

  test('suggests a close valid label', () => {
    expect(suggestDns1123Label('My_VM!')).toBe('my-vm');
    expect(checkDns1123Label(suggestDns1123Label('x'.repeat(80) + '-'))).toBeUndefined();
  });
});

describe('VLAN ids', () => {
  test.each([1, 100, 4094])('accepts %p', v => expect(isValidVlan(v)).toBe(true));
  test.each([0, 4095, 5000, -1, 1.5, NaN])('rejects %p', v => expect(isValidVlan(v)).toBe(false));
});

describe('error messages', () => {
  test('name the prop, the value and the fix', () => {
    expect(formatPropError('vlan', 5000, 'must be between 1 and 4094', 'pick a VLAN id in that range'))
      .toBe('\'vlan\' must be between 1 and 4094, got 5000; pick a VLAN id in that range');
  });

  test('are prefixed with the construct path', () => {
    const chart = Testing.chart();
    expect(propError(chart, 'name', 'A', 'must be lowercase', 'use \'a\'').message)
      .toBe('[test] \'name\' must be lowercase, got \'A\'; use \'a\'');
  });

  test('render values of every type readably', () => {
    expect(describeValue('x')).toBe('\'x\'');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue({ a: 1 })).toBe('{"a":1}');
    expect(describeValue('y'.repeat(200)).length).toBe(120);
  });
});
