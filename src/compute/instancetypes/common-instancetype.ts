import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { VirtualMachineClusterInstancetype, VirtualMachineInstancetype } from './instancetype';
import { Instancetype } from './selection';
import { InstancetypeSettings } from './settings';
import { PlatformKind, platformObjectOf } from '../../private/platform-config';
import { formatPropError } from '../../validation';
import { requireConstruct, requireString, requireStruct } from '../../validation/types';
import { HugepagesSize, IoThreadsPolicy } from '../performance/cpu';

/** Options of {@link CommonInstancetype.defineNamespaced}. */
export interface CommonInstancetypeDefineNamespacedOptions {
  /**
   * Namespace of the instancetype.
   *
   * @default - the namespace of the chart
   */
  readonly namespace?: string;
}

/**
 * Ready-made sizes in the naming scheme of KubeVirt's common-instancetypes
 * (series, version, size): `u1` general purpose (1 vCPU : 4 GiB, shared
 * CPUs), `cx1` compute exclusive (1 vCPU : 2 GiB, dedicated CPUs, isolated
 * emulator thread, guest NUMA, 2 MiB hugepages, automatic IO threads) and
 * `m1` memory intensive (1 vCPU : 8 GiB on 2 MiB hugepages). Clusters that
 * install common-instancetypes already have these objects: refer to them
 * with `reference()`; otherwise define them in the app with
 * `defineCluster()` or `defineNamespaced()`.
 *
 * Each size renders the spec of the object of its name that virt-operator
 * of KubeVirt v1.9.0 deploys (its embedded common-instancetypes v1.7.0
 * bundle); CI compares them field by field.
 */
export class CommonInstancetype {
  /** u1.small: 1 vCPU, 2 GiB. */
  public static readonly U1_SMALL = CommonInstancetype.universal('small', 1, 2);
  /** u1.medium: 1 vCPU, 4 GiB. */
  public static readonly U1_MEDIUM = CommonInstancetype.universal('medium', 1, 4);
  /** u1.large: 2 vCPUs, 8 GiB. */
  public static readonly U1_LARGE = CommonInstancetype.universal('large', 2, 8);
  /** u1.xlarge: 4 vCPUs, 16 GiB. */
  public static readonly U1_XLARGE = CommonInstancetype.universal('xlarge', 4, 16);
  /** cx1.medium: 1 dedicated vCPU, 2 GiB on 2 MiB hugepages. */
  public static readonly CX1_MEDIUM = CommonInstancetype.computeExclusive('medium', 1, 2);
  /** cx1.large: 2 dedicated vCPUs, 4 GiB on 2 MiB hugepages. */
  public static readonly CX1_LARGE = CommonInstancetype.computeExclusive('large', 2, 4);
  /** cx1.xlarge: 4 dedicated vCPUs, 8 GiB on 2 MiB hugepages. */
  public static readonly CX1_XLARGE = CommonInstancetype.computeExclusive('xlarge', 4, 8);
  /** cx1.2xlarge: 8 dedicated vCPUs, 16 GiB on 2 MiB hugepages. */
  public static readonly CX1_2XLARGE = CommonInstancetype.computeExclusive('2xlarge', 8, 16);
  /** m1.large: 2 vCPUs, 16 GiB on 2 MiB hugepages. */
  public static readonly M1_LARGE = CommonInstancetype.memoryIntensive('large', 2, 16);
  /** m1.xlarge: 4 vCPUs, 32 GiB on 2 MiB hugepages. */
  public static readonly M1_XLARGE = CommonInstancetype.memoryIntensive('xlarge', 4, 32);

  private static universal(size: string, cpus: number, gib: number): CommonInstancetype {
    return new CommonInstancetype(`u1.${size}`, { cpus, memory: Size.gibibytes(gib) });
  }

  private static computeExclusive(size: string, cpus: number, gib: number): CommonInstancetype {
    return new CommonInstancetype(`cx1.${size}`, {
      cpus,
      maxSockets: cpus,
      memory: Size.gibibytes(gib),
      hugepages: HugepagesSize.TWO_MI,
      dedicatedCpus: true,
      isolateEmulatorThread: true,
      numaGuestMappingPassthrough: true,
      ioThreadsPolicy: IoThreadsPolicy.AUTO,
    });
  }

  private static memoryIntensive(size: string, cpus: number, gib: number): CommonInstancetype {
    return new CommonInstancetype(`m1.${size}`, { cpus, memory: Size.gibibytes(gib), hugepages: HugepagesSize.TWO_MI });
  }

  /** Name of the instancetype, e.g. `u1.medium`. */
  public readonly name: string;
  /** What the instancetype supplies. */
  public readonly settings: InstancetypeSettings;

  private constructor(name: string, settings: InstancetypeSettings) {
    this.name = name;
    this.settings = settings;
  }

  /** A name reference to the cluster-wide object of this name (installed by common-instancetypes). */
  public reference(): Instancetype {
    return Instancetype.cluster(this.name);
  }

  /**
   * Defines this size as a `VirtualMachineClusterInstancetype` in the app,
   * for clusters where virt-operator does not deploy the common
   * instancetypes itself: where it does (KubeVirt's default), it owns the
   * object of this name and overwrites it, and pruning the app's copy
   * deletes what other VMs use. Refused when the app's KubeVirt leaves that
   * deployment on.
   */
  public defineCluster(scope: Construct, id: string): VirtualMachineClusterInstancetype {
    requireConstruct(undefined, 'scope', scope);
    requireString(scope.node.path, 'id', id);
    const it = new VirtualMachineClusterInstancetype(scope, id, { ...this.settings, name: this.name });
    it.node.addValidation({ validate: () => this.operatorClashProblems(it) });
    return it;
  }

  /** The app's KubeVirt deploys a cluster instancetype of this name itself. */
  private operatorClashProblems(scope: Construct): string[] {
    const kubevirt = platformObjectOf(scope, PlatformKind.KUBEVIRT);
    if (!kubevirt || kubevirt.spec.configuration?.commonInstancetypesDeployment?.enabled === false) return [];
    return [formatPropError('defineCluster', this.name,
      `defines a cluster instancetype that virt-operator of the KubeVirt at '${kubevirt.path}' deploys and owns itself (common instancetypes are deployed by default), `
      + 'so the two would overwrite each other and pruning this copy would delete what other VMs use',
      `use CommonInstancetype.${this.constantName()}.reference(), or defineNamespaced(), or set commonInstancetypesDeployment: false on that KubeVirt`)];
  }

  private constantName(): string {
    return this.name.toUpperCase().replace('.', '_');
  }

  /** Defines this size as a namespaced `VirtualMachineInstancetype` in the app. */
  public defineNamespaced(scope: Construct, id: string, options: CommonInstancetypeDefineNamespacedOptions = {}): VirtualMachineInstancetype {
    requireConstruct(undefined, 'scope', scope);
    requireString(scope.node.path, 'id', id);
    const o = requireStruct(scope.node.path, 'options', options);
    return new VirtualMachineInstancetype(scope, id, { ...this.settings, name: this.name, namespace: o.namespace });
  }
}
