import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { propError } from '../../validation';
import { optionalDuration, optionalNumber, requireArray, requireNumber, requireString, requireStruct } from '../../validation/types';

/** Timing of a {@link VmProbe}. */
export interface VmProbeOptions {
  /**
   * Wait after the VM starts before the first probe (whole seconds).
   *
   * @default - probe at once
   */
  readonly initialDelay?: Duration;

  /**
   * Time between probes (whole seconds, at least 1).
   *
   * @default - 10 seconds
   */
  readonly period?: Duration;

  /**
   * Time a probe may take (whole seconds, at least 1).
   *
   * @default - 1 second
   */
  readonly timeout?: Duration;

  /**
   * Failed probes in a row before the VM counts as failed.
   *
   * @default 3
   */
  readonly failureThreshold?: number;

  /**
   * Successful probes in a row before a failed VM counts as healthy again
   * (must be 1 for a liveness probe).
   *
   * @default 1
   */
  readonly successThreshold?: number;
}

/**
 * A readiness or liveness probe of a VM. TCP and HTTP probes reach the
 * guest over the pod network; exec and guest-agent probes go through the
 * QEMU guest agent, which must run in the guest.
 */
export class VmProbe {
  /** Open a TCP connection to `port` of the guest. */
  public static tcp(port: number, options: VmProbeOptions = {}): VmProbe {
    requireProbePort('tcp', port);
    return new VmProbe('tcp', { tcpSocket: { port } }, options);
  }

  /** HTTP GET `path` on `port` of the guest; 2xx and 3xx count as success. */
  public static http(path: string, port: number, options: VmProbeOptions = {}): VmProbe {
    requireString(undefined, 'http.path', path);
    if (!path.startsWith('/')) throw propError(undefined, 'http.path', path, 'must start with /', 'give an absolute path such as \'/healthz\'');
    requireProbePort('http', port);
    return new VmProbe('http', { httpGet: { path, port } }, options);
  }

  /**
   * Run a command in the guest through the guest agent; exit code 0 is
   * success. The guest must run the QEMU guest agent: until it answers
   * (first boot, package install, Windows setup) the probe fails, so as a
   * liveness probe it restarts such a guest over and over.
   */
  public static exec(command: string[], options: VmProbeOptions = {}): VmProbe {
    const cmd = requireArray<string>(undefined, 'exec.command', command, (c, p) => requireString(undefined, p, c));
    if (cmd.length === 0) throw propError(undefined, 'exec.command', command, 'must not be empty', 'give the command and its arguments');
    return new VmProbe('exec', { exec: { command: cmd } }, options);
  }

  /**
   * Ping the QEMU guest agent. Fails until the agent runs, so as a liveness
   * probe it restarts a guest whose first boot (package install, Windows
   * setup) outlasts the initial delay; prefer it as a readiness probe.
   */
  public static guestAgentPing(options: VmProbeOptions = {}): VmProbe {
    return new VmProbe('guestAgentPing', { guestAgentPing: {} }, options);
  }

  /** Which kind of probe this is: `tcp`, `http`, `exec` or `guestAgentPing`. */
  public readonly type: string;
  private readonly handler: any;
  private readonly options: VmProbeOptions;

  private constructor(type: string, handler: any, options: VmProbeOptions) {
    const o = requireStruct(undefined, `${type}.options`, options);
    for (const p of ['initialDelay', 'period', 'timeout'] as const) {
      optionalDuration(undefined, p, o[p]);
      const s = o[p] === undefined ? undefined : o[p].toMilliseconds() / 1000;
      if (s !== undefined && (!Number.isInteger(s) || s < (p === 'initialDelay' ? 0 : 1))) {
        throw propError(undefined, p, o[p]!.toHumanString(), `must be a whole number of seconds${p === 'initialDelay' ? '' : ', at least 1'}`, 'use e.g. Duration.seconds(5)');
      }
    }
    for (const p of ['failureThreshold', 'successThreshold'] as const) {
      optionalNumber(undefined, p, o[p]);
      const n = o[p];
      if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw propError(undefined, p, n, 'must be a whole number of at least 1', `set '${p}' to 1 or more`);
    }
    this.type = type;
    this.handler = handler;
    this.options = { ...o };
  }

  /** Whether the probe reaches the guest over the pod network. @internal */
  public get _needsPodNetwork(): boolean {
    return this.type === 'tcp' || this.type === 'http';
  }

  /** Checks the probe for its use; throws the library error. @internal */
  public _validate(scope: IConstruct, prop: string): void {
    if (prop === 'livenessProbe' && (this.options.successThreshold ?? 1) !== 1) {
      throw propError(scope, `${prop}.successThreshold`, this.options.successThreshold, 'must be 1 for a liveness probe', 'leave successThreshold out');
    }
  }

  /** Renders the probe. @internal */
  public _toKube(): any {
    const o = this.options;
    const out: any = { ...this.handler };
    if (o.failureThreshold !== undefined) out.failureThreshold = o.failureThreshold;
    if (o.initialDelay !== undefined) out.initialDelaySeconds = o.initialDelay.toMilliseconds() / 1000;
    if (o.period !== undefined) out.periodSeconds = o.period.toMilliseconds() / 1000;
    if (o.successThreshold !== undefined) out.successThreshold = o.successThreshold;
    if (o.timeout !== undefined) out.timeoutSeconds = o.timeout.toMilliseconds() / 1000;
    return out;
  }
}

function requireProbePort(type: string, port: number): void {
  requireNumber(undefined, `${type}.port`, port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw propError(undefined, `${type}.port`, port, 'must be a port number from 1 to 65535', 'give the port the guest listens on');
  }
}
