import { ApiObject, Lazy } from 'cdk8s';
import { Protocol, ServiceType } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { WorkloadFacts } from './launcher-pods';
import { ensureUniqueObjectNames } from '../../private/unique-object-names';
import {
  DNS1123_LABEL_MAX, optionalEnum, optionalNumber, optionalString, propError, requireArray, requireDns1123Label,
  requireNumber, requireStruct,
} from '../../validation';

/** One port of a Service in front of VMs. */
export interface VirtualMachineServicePort {
  /** Port the Service listens on. */
  readonly port: number;
  /**
   * Port inside the guest that traffic goes to.
   * @default - the same as `port`
   */
  readonly targetPort?: number;
  /**
   * Protocol of the port.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
  /**
   * Port on every node, for `ServiceType.NODE_PORT` and `LOAD_BALANCER`
   * (30000-32767 in a default cluster).
   * @default - the cluster picks one
   */
  readonly nodePort?: number;
  /**
   * Name of the port. Needed by Kubernetes when a Service has several.
   * @default - `<protocol>-<port>` in lower case when the Service has more than one port, none otherwise
   */
  readonly name?: string;
}

/** Options of `VirtualMachine.expose()` and `SmartCloneFleet.expose()`. */
export interface VirtualMachineExposeOptions {
  /** The ports to expose, at least one. */
  readonly ports: VirtualMachineServicePort[];
  /**
   * How the Service is reached: ClusterIP, NodePort or LoadBalancer.
   * @default ServiceType.CLUSTER_IP
   */
  readonly type?: ServiceType;
  /**
   * Name of the Service.
   * @default - the name of the VM or fleet
   */
  readonly name?: string;
}

const SERVICE_TYPES = [ServiceType.CLUSTER_IP, ServiceType.NODE_PORT, ServiceType.LOAD_BALANCER];

function requireServicePort(scope: string, prop: string, value: unknown, min: number, max: number): void {
  requireNumber(scope, prop, value);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw propError(scope, prop, value, `must be a whole number between ${min} and ${max}`, `pick a port in ${min}-${max}`);
  }
}

/**
 * A Service in front of a VM or the VMs of a fleet on the pod network, the
 * way `virtctl expose` makes one: it selects the VMs' virt-launcher pods by
 * label and forwards the listed ports to the guest. Created with
 * `vm.expose()` or `fleet.expose()`.
 *
 * VMs without an interface on the pod network (an `IsolatedVm`, an isolated
 * fleet, a VM with only Multus networks) cannot be exposed: their pods have
 * no cluster address for the Service to forward to.
 *
 * `ApiObject.of(service)` is the Service object.
 */
export class VirtualMachineService extends Construct {
  /**
   * Checks the options, then creates the Service under `scope` (a VM or a
   * fleet). Nothing is added to the tree when the options are refused.
   * @internal
   */
  public static _expose(scope: Construct, facts: WorkloadFacts, selector: () => { [key: string]: string },
    defaultName: string, options: VirtualMachineExposeOptions, fix: string): VirtualMachineService {
    const name = (options !== null && typeof options === 'object') ? (options.name ?? defaultName) : defaultName;
    // a name of the wrong shape is refused below; the id must not stringify it (an object without a prototype cannot be)
    const id = `Expose-${typeof name === 'string' ? name : defaultName}`;
    const where = `${scope.node.path}/${id}`;
    const o = requireStruct<VirtualMachineExposeOptions>(where, 'options', options);
    if (!facts.hasPodNetwork) {
      const why = facts.isolated
        ? 'is refused: the VMs are isolated, their pods have no pod-network interface for a Service to reach'
        : 'is refused: the VMs have no interface on the pod network for a Service to reach';
      throw propError(where, 'expose', defaultName, why, fix);
    }
    optionalString(where, 'name', o.name);
    const fake = { node: { path: where } } as any;
    requireDns1123Label(fake, 'name', name, DNS1123_LABEL_MAX);
    if (!/^[a-z]/.test(name)) {
      throw propError(where, 'name', name, 'must start with a letter (a Service name is a DNS-1035 label)', 'give the Service a name that starts with a letter');
    }
    if (scope.node.tryFindChild(id) !== undefined) {
      throw propError(where, 'name', name, 'is already the name of a Service of these VMs', 'give the second Service another name');
    }
    optionalEnum(where, 'type', o.type, ServiceType as any, 'ServiceType');
    const type = o.type ?? ServiceType.CLUSTER_IP;
    if (!SERVICE_TYPES.includes(type)) {
      throw propError(where, 'type', type, 'must be ClusterIP, NodePort or LoadBalancer (an ExternalName Service selects no pods)', 'use ServiceType.CLUSTER_IP, NODE_PORT or LOAD_BALANCER');
    }
    const ports = requireArray<VirtualMachineServicePort>(where, 'ports', o.ports, (entry, prop) => {
      const p = requireStruct<VirtualMachineServicePort>(where, prop, entry as VirtualMachineServicePort);
      requireServicePort(where, `${prop}.port`, p.port, 1, 65535);
      if (p.targetPort !== undefined) requireServicePort(where, `${prop}.targetPort`, p.targetPort, 1, 65535);
      optionalNumber(where, `${prop}.nodePort`, p.nodePort);
      if (p.nodePort !== undefined) {
        requireServicePort(where, `${prop}.nodePort`, p.nodePort, 1, 65535);
        if (type === ServiceType.CLUSTER_IP) {
          throw propError(where, `${prop}.nodePort`, p.nodePort, 'only applies to NodePort and LoadBalancer Services', 'remove nodePort, or set type to ServiceType.NODE_PORT');
        }
      }
      optionalEnum(where, `${prop}.protocol`, p.protocol, Protocol as any, 'Protocol');
      optionalString(where, `${prop}.name`, p.name);
      if (p.name !== undefined) requireDns1123Label(fake, `${prop}.name`, p.name);
    });
    if (ports.length === 0) {
      throw propError(where, 'ports', [], 'must list at least one port', 'expose a port, e.g. ports: [{ port: 22 }]');
    }
    const seen = new Map<string, number>();
    ports.forEach((p, i) => {
      const key = `${p.protocol ?? Protocol.TCP}/${p.port}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        throw propError(where, `ports[${i}].port`, p.port, `repeats ports[${earlier}] (${key})`, 'list each port and protocol once');
      }
      seen.set(key, i);
    });
    return new VirtualMachineService(scope, id, name, facts.namespace, type, selector(), ports);
  }

  /** Name of the Service. */
  public readonly name: string;
  /** Namespace of the Service (the VMs'). */
  public readonly namespace: string;
  /** The Service type. */
  public readonly type: ServiceType;
  /** Labels the Service selects the VMs' pods by (a copy). */
  public get selector(): { [key: string]: string } {
    return { ...this._selector };
  }

  private readonly _selector: { [key: string]: string };
  private readonly ports: VirtualMachineServicePort[];

  private constructor(scope: Construct, id: string, name: string, namespace: string, type: ServiceType,
    selector: { [key: string]: string }, ports: VirtualMachineServicePort[]) {
    super(scope, id);
    ensureUniqueObjectNames(this);
    this.name = name;
    this.namespace = namespace;
    this.type = type;
    this._selector = { ...selector };
    this.ports = ports.map(p => ({ ...p }));
    new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: this.name, namespace: this.namespace },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
  }

  /** @internal */
  public _toKube(): any {
    const several = this.ports.length > 1;
    return {
      type: this.type,
      selector: { ...this._selector },
      ports: this.ports.map(p => {
        const protocol = p.protocol ?? Protocol.TCP;
        const name = p.name ?? (several ? `${protocol.toLowerCase()}-${p.port}` : undefined);
        return {
          ...(name !== undefined ? { name } : {}),
          port: p.port,
          targetPort: p.targetPort ?? p.port,
          protocol,
          ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
        };
      }),
    };
  }
}
