import { k8s } from 'cdk8s-plus-33';

/**
 * Where an operator's components run: node selector and tolerations, as
 * KubeVirt (`spec.infra/workloads.nodePlacement`) and CDI
 * (`spec.infra/workload`) take them.
 */
export interface NodePlacement {
  /**
   * Node labels the pods must match.
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Taints the pods tolerate.
   * @default - none
   */
  readonly tolerations?: k8s.Toleration[];
}
