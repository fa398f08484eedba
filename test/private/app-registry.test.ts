import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AppSlot, appState, MessagesByConstruct } from '../../src/private/app-registry';

describe('the app-wide registry', () => {
  test('gives every construct of one app the same state, made once from the root', () => {
    const roots: Construct[] = [];
    const slot = new AppSlot('test list', root => {
      roots.push(root);
      return [] as string[];
    });
    const app = new App();
    const a = new Chart(app, 'a');
    const b = new Construct(new Chart(app, 'b'), 'deep');
    appState(a, slot).push('from a');
    expect(appState(b, slot)).toEqual(['from a']);
    expect(appState(app, slot)).toBe(appState(a, slot));
    expect(roots).toEqual([app]);
  });

  test('keeps apps and slots apart', () => {
    const one = new AppSlot('one', () => ({ n: 0 }));
    const two = new AppSlot('two', () => ({ n: 0 }));
    const first = new Chart(new App(), 'c');
    const second = new Chart(new App(), 'c');
    appState(first, one).n = 1;
    appState(first, two).n = 2;
    expect(appState(second, one).n).toBe(0);
    expect(appState(first, one).n).toBe(1);
    expect(appState(first, two).n).toBe(2);
  });
});

describe('messages by construct', () => {
  test('runs the rule once for every construct, again only after invalidate, in report order', () => {
    const app = new App();
    const x = new Chart(app, 'x');
    const y = new Chart(app, 'y');
    let runs = 0;
    let facts = ['first'];
    const messages = new MessagesByConstruct(report => {
      runs++;
      for (const f of facts) report(x, f);
      report(y, 'about y');
    });
    expect(messages.for(x)).toEqual(['first']);
    expect(messages.for(y)).toEqual(['about y']);
    expect(messages.for(app)).toEqual([]);
    expect(runs).toBe(1);
    facts = ['first', 'second'];
    expect(messages.for(x)).toEqual(['first']);
    messages.invalidate();
    expect(messages.for(x)).toEqual(['first', 'second']);
    expect(runs).toBe(2);
  });

  test('hands out copies, so a caller cannot change what others read', () => {
    const chart = new Chart(new App(), 'c');
    const messages = new MessagesByConstruct(report => report(chart, 'one'));
    messages.for(chart).push('changed');
    expect(messages.for(chart)).toEqual(['one']);
  });
});
