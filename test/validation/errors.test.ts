import { Duration, Size, Testing } from 'cdk8s';
import { BootDisk, VirtualMachine } from '../../src';
import { describeValue, propError, trimLibraryFrames } from '../../src/validation';

function firstFrame(error: Error): string {
  return (error.stack ?? '').split('\n').find(l => /^\s+at /.test(l)) ?? '';
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('library errors point at the caller', () => {
  test('the first stack frame of an eager error is the caller\'s line, not the library\'s', () => {
    const error = thrown(() => new VirtualMachine(Testing.chart(), 'vm', { name: 'Bad_Name', bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:41') }));
    expect(error.message).toMatch(/'name' must/);
    expect(firstFrame(error)).toContain('errors.test.ts');
    expect(error.stack).not.toMatch(/src[\\/]validation[\\/]errors\.ts/);
  });

  test('factory errors, raised through native frames (Array.forEach), also start at the caller', () => {
    const error = thrown(() => BootDisk.cloneOf({} as any));
    expect(firstFrame(error)).toContain('errors.test.ts');
  });

  test('the library frames are really dropped: without trimming the first frame is the library\'s', () => {
    const raw = new Error('x');
    const keep = raw.stack;
    expect(firstFrame(raw)).toContain('errors.test.ts'); // a test-made error starts here already
    expect(firstFrame(propError(undefined, 'p', 1, 'is bad', 'fix it'))).toContain('errors.test.ts');
    expect(trimLibraryFrames(raw).stack).toBe(keep);
  });

  test('describes Size and Duration values by their quantity', () => {
    expect(describeValue(Size.gibibytes(2))).toBe('Size 2Gi');
    expect(describeValue(Duration.minutes(1))).toBe('Duration PT1M');
  });
});
