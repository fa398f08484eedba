import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';

type Labels = { [key: string]: string };

/** What a node agent's DaemonSet consists of. */
export interface NodeDaemonSet {
  readonly name: string;
  readonly namespace: string;
  /** Labels of the DaemonSet itself. */
  readonly labels: Labels;
  /** The pods' labels the DaemonSet selects by. */
  readonly selector: Labels;
  readonly podLabels: Labels;
  readonly podAnnotations?: Labels;
  /** Let a tenth of the nodes update at once (`rollingUpdate.maxUnavailable: 10%`) rather than one. */
  readonly tenthAtOnce?: boolean;
  readonly pod: k8s.PodSpec;
}

/** A rolling-update DaemonSet (construct id `Resource`). */
export function nodeDaemonSet(scope: Construct, d: NodeDaemonSet): k8s.KubeDaemonSet {
  return new k8s.KubeDaemonSet(scope, 'Resource', {
    metadata: { name: d.name, namespace: d.namespace, labels: d.labels },
    spec: daemonSetSpec(d),
  });
}

/** The spec of `nodeDaemonSet`. */
export function daemonSetSpec(d: Omit<NodeDaemonSet, 'name' | 'namespace' | 'labels'>): k8s.DaemonSetSpec {
  return {
    selector: { matchLabels: d.selector },
    updateStrategy: { type: 'RollingUpdate', ...(d.tenthAtOnce ? { rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } } : {}) },
    template: {
      metadata: { labels: d.podLabels, ...(d.podAnnotations ? { annotations: d.podAnnotations } : {}) },
      spec: d.pod,
    },
  };
}

/** CPU and memory requests, and limits when given. */
export function resources(cpu: string, memory: string, limit?: { cpu: string; memory: string }): k8s.ResourceRequirements {
  const q = (c: string, m: string) => ({ cpu: k8s.Quantity.fromString(c), memory: k8s.Quantity.fromString(m) });
  return { requests: q(cpu, memory), ...(limit ? { limits: q(limit.cpu, limit.memory) } : {}) };
}

/** A volume of a path on the node. */
export function hostPathVolume(name: string, path: string, type?: string): k8s.Volume {
  return { name, hostPath: { path, ...(type !== undefined ? { type } : {}) } };
}

/** An environment variable read from a field of the pod. */
export function fieldEnv(name: string, fieldPath: string): k8s.EnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}
