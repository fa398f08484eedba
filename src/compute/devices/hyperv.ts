import { requireStruct } from '../../validation/types';

/** Hyper-V enlightenments to switch on, one flag each. */
export interface HypervEnlightenmentsOptions {
  /** Relaxed timing (no watchdog timeouts under host load). @default false */
  readonly relaxed?: boolean;
  /** Virtual APIC assist. @default false */
  readonly vapic?: boolean;
  /** Paravirtual spinlocks; the number is the retry count before the guest yields (at least 4095). @default - off */
  readonly spinlocks?: number;
  /** Virtual processor index (needed by synic, ipi and tlbflush). @default - on when one of those is on, off otherwise */
  readonly vpindex?: boolean;
  /** Synthetic interrupt controller (needs vpindex). @default - on when synictimer is on, off otherwise */
  readonly synic?: boolean;
  /** Synthetic timers, in direct mode (needs synic). @default false */
  readonly synictimer?: boolean;
  /** Paravirtual TLB flush (needs vpindex). @default false */
  readonly tlbflush?: boolean;
  /** Paravirtual IPIs (needs vpindex). @default false */
  readonly ipi?: boolean;
  /** Virtual processor run time. @default false */
  readonly runtime?: boolean;
  /** Reset through the Hyper-V interface. @default false */
  readonly reset?: boolean;
  /** TSC and APIC frequency MSRs. @default false */
  readonly frequencies?: boolean;
  /** Re-enlightenment notifications after migration. @default false */
  readonly reenlightenment?: boolean;
  /** Vendor id reported to the guest (at most 12 characters). @default - none */
  readonly vendorId?: string;
}

/**
 * The Hyper-V enlightenments of a Windows guest (`domain.features.hyperv`):
 * paravirtual interfaces that make Windows run well on KVM.
 */
export class HypervEnlightenments {
  /**
   * The set Windows guests usually run with: relaxed, vapic, spinlocks
   * (8191 retries), vpindex, synic, direct synthetic timers, tlbflush, ipi,
   * runtime, reset and frequencies.
   */
  public static windows(): HypervEnlightenments {
    return new HypervEnlightenments({
      relaxed: true,
      vapic: true,
      spinlocks: 8191,
      vpindex: true,
      synic: true,
      synictimer: true,
      tlbflush: true,
      ipi: true,
      runtime: true,
      reset: true,
      frequencies: true,
    });
  }

  /** Exactly the enlightenments given. */
  public static custom(options: HypervEnlightenmentsOptions): HypervEnlightenments {
    return new HypervEnlightenments(requireStruct(undefined, 'options', options));
  }

  /** The enlightenments switched on. */
  public readonly options: HypervEnlightenmentsOptions;

  private constructor(options: HypervEnlightenmentsOptions) {
    this.options = { ...options };
  }
}

/** How a timer catches up after the guest missed ticks. */
export enum TimerTickPolicy {
  /** Deliver the missed ticks late, at the normal rate. */
  DELAY = 'delay',
  /** Deliver the missed ticks faster until caught up. */
  CATCHUP = 'catchup',
  /** Merge the missed ticks into one. */
  MERGE = 'merge',
  /** Drop the missed ticks. */
  DISCARD = 'discard',
}

/** The guest clock (`domain.clock`) and its timers. */
export interface ClockOptions {
  /**
   * Time zone the guest's hardware clock runs in (e.g. `Europe/Berlin`);
   * Windows expects local time unless told otherwise.
   *
   * @default - UTC
   */
  readonly timezone?: string;

  /**
   * Offer the HPET timer. Windows runs better without it.
   *
   * @default - the hypervisor's default
   */
  readonly hpet?: boolean;

  /**
   * Offer the Hyper-V reference time counter.
   *
   * @default - the hypervisor's default
   */
  readonly hypervTimer?: boolean;

  /**
   * Tick policy of the PIT timer.
   *
   * @default - the hypervisor's default
   */
  readonly pitTickPolicy?: TimerTickPolicy;

  /**
   * Tick policy of the RTC timer.
   *
   * @default - the hypervisor's default
   */
  readonly rtcTickPolicy?: TimerTickPolicy;
}
