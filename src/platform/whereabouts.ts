import { Cron } from 'cdk8s';
import { ImagePullPolicy, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ImageOverride } from './image-override';
import { PlatformPartProps } from './platform-part-props';
import { closed, createCrd, kindSchema, open, STRING } from './private/crd';
import { resolveImage } from './private/image';
import { pullPolicy, serviceAccount } from './private/objects';
import { requirePartShape, finishPart } from './private/part';
import { CRUD, grant, READ, rule } from './private/rbac';
import { fieldEnv, hostPathVolume, nodeDaemonSet, resources } from './private/workloads';
import { DefaultImages } from './versions';
import { propError, Shape } from '../validation';

/** Settings of the `Whereabouts` construct. */
export interface WhereaboutsProps extends PlatformPartProps {
  /**
   * Where the whereabouts image comes from.
   * @default - `DefaultImages.WHEREABOUTS`
   */
  readonly image?: ImageOverride;

  /**
   * Pull policy of the DaemonSet's container.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;

  /**
   * When the IP reconciler frees addresses of pods that no longer exist
   * (`cron-expression` in the `whereabouts-config` ConfigMap, read by the
   * `whereabouts-reconciler` Deployment).
   * @default - daily at 04:30 (`30 4 * * *`), as upstream
   */
  readonly reconcilerSchedule?: Cron;
}

const NAME = 'whereabouts';
const NAMESPACE = 'kube-system';
const GROUP = 'whereabouts.cni.cncf.io';

/**
 * The whereabouts IPAM plugin v0.9: its IPPool, OverlappingRangeIPReservation
 * and NodeSlicePool CRDs, RBAC, the DaemonSet that installs the CNI binary and
 * runs the IP control loop (which frees the addresses of deleted pods), and the
 * `whereabouts-reconciler` Deployment that reads its schedule from the
 * `whereabouts-config` ConfigMap. The DaemonSet is privileged and uses the
 * host network, as upstream's, to write into the node's CNI directories.
 *
 * `ApiObject.of(whereabouts)` is the DaemonSet.
 */
export class Whereabouts extends Construct {
  /** Namespace the DaemonSet runs in (`kube-system`). */
  public readonly namespace: string = NAMESPACE;
  /** The resolved whereabouts image. */
  public readonly image: string;
  /** The reconciler's cron expression. */
  public readonly reconcilerSchedule: string;
  /** The `whereabouts-reconciler` Deployment, which frees addresses on the schedule. */
  public readonly reconciler: k8s.KubeDeployment;

  public constructor(scope: Construct, id: string, props: WhereaboutsProps = {}) {
    super(scope, id);
    requirePartShape(this, props, { reconcilerSchedule: Shape.optInstance(Cron, 'Cron.schedule({ minute, hour }) from cdk8s') });
    this.image = resolveImage(this, 'image', DefaultImages.WHEREABOUTS, props.image).reference;
    this.reconcilerSchedule = (props.reconcilerSchedule ?? Cron.schedule({ minute: '30', hour: '4' })).expressionString;
    if (this.reconcilerSchedule.trim().split(/\s+/).length !== 5) {
      throw propError(this, 'reconcilerSchedule', this.reconcilerSchedule, 'must be a five-field cron expression', 'build it with Cron.schedule({ minute, hour, ... })');
    }

    type Schema = { [key: string]: any };
    const crd = (id2: string, plural: string, kind: string, spec: Schema, required: string[], extra: Schema = {}) => createCrd(this, id2, {
      group: GROUP,
      plural,
      singular: plural.replace(/s$/, ''),
      kind,
      listKind: `${kind}List`,
      scope: 'Namespaced',
      versions: [{ name: 'v1alpha1', served: true, storage: true, schema: kindSchema({ spec: open(spec, { required }), ...extra }) }],
    });
    crd('IpPoolCrd', 'ippools', 'IPPool', { allocations: open(), range: STRING }, ['allocations', 'range']);
    crd('OverlappingRangeCrd', 'overlappingrangeipreservations', 'OverlappingRangeIPReservation', { containerid: STRING, ifname: STRING, podref: STRING }, ['podref']);
    // The node-slice controller records which node holds which slice in the
    // status; without it in the schema the API server would prune it.
    const slice = closed({ nodeName: STRING, sliceRange: STRING }, { required: ['nodeName', 'sliceRange'] });
    crd('NodeSlicePoolCrd', 'nodeslicepools', 'NodeSlicePool', { range: STRING, sliceSize: STRING }, ['range', 'sliceSize'], {
      status: closed({ allocations: { type: 'array', items: slice } }, { required: ['allocations'] }),
    });

    const subject = serviceAccount(this, NAME, NAMESPACE);
    grant(this, {
      name: 'whereabouts-cni',
      bindingName: NAME,
      subject,
      rules: [
        rule([GROUP], ['ippools', 'overlappingrangeipreservations', 'nodeslicepools'], CRUD),
        rule(['coordination.k8s.io'], ['leases'], ['*']),
        rule([''], ['pods'], READ),
        rule([''], ['nodes'], READ),
        rule(['k8s.cni.cncf.io'], ['network-attachment-definitions'], READ),
        rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update', 'get']),
      ],
    });
    new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: 'whereabouts-config', namespace: NAMESPACE, annotations: { 'kubernetes.io/description': 'Configuration of the whereabouts IP reconciler' } },
      data: { 'cron-expression': this.reconcilerSchedule },
    });
    const labels = { app: NAME };
    nodeDaemonSet(this, {
      name: NAME,
      namespace: NAMESPACE,
      labels: { tier: 'node', app: NAME },
      selector: { name: NAME },
      podLabels: { ...labels, tier: 'node', name: NAME },
      pod: {
        hostNetwork: true,
        serviceAccountName: NAME,
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
        containers: [{
          name: NAME,
          image: this.image,
          imagePullPolicy: pullPolicy(props.imagePullPolicy),
          // token-watcher.sh never returns (it renews the plugin's
          // kubeconfig when the token rotates), so it runs in the
          // background and the control loop runs in the foreground.
          command: ['/bin/sh'],
          args: ['-c', 'SLEEP=false source /install-cni.sh\n/token-watcher.sh &\n/ip-control-loop -log-level debug\n'],
          env: [
            { name: 'NODENAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
            fieldEnv('WHEREABOUTS_NAMESPACE', 'metadata.namespace'),
          ],
          resources: resources('100m', '100Mi', { cpu: '100m', memory: '200Mi' }),
          securityContext: { privileged: true },
          volumeMounts: [
            { name: 'cnibin', mountPath: '/host/opt/cni/bin' },
            { name: 'cni-net-dir', mountPath: '/host/etc/cni/net.d' },
          ],
        }],
        volumes: [hostPathVolume('cnibin', '/opt/cni/bin'), hostPathVolume('cni-net-dir', '/etc/cni/net.d')],
      },
    });
    this.reconciler = this.createReconciler(props.imagePullPolicy);
    finishPart(this, props);
  }

  /**
   * The scheduled IP reconciler: one replica (it has no leader election) that
   * reads the schedule from the `whereabouts-config` ConfigMap mounted at
   * `/cron-schedule` and frees the addresses of pods that no longer exist.
   */
  private createReconciler(policy: ImagePullPolicy | undefined): k8s.KubeDeployment {
    const name = 'whereabouts-reconciler';
    return new k8s.KubeDeployment(this, 'Reconciler', {
      metadata: { name, namespace: NAMESPACE, labels: { tier: 'node', app: name } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { name } },
        template: {
          metadata: { labels: { tier: 'node', app: name, name } },
          spec: {
            serviceAccountName: NAME,
            containers: [{
              name,
              image: this.image,
              imagePullPolicy: pullPolicy(policy),
              command: ['/ip-reconciler'],
              args: ['-log-level', 'debug'],
              env: [fieldEnv('WHEREABOUTS_NAMESPACE', 'metadata.namespace')],
              resources: resources('100m', '50Mi', { cpu: '100m', memory: '50Mi' }),
              volumeMounts: [{ name: 'cron-scheduler-configmap', mountPath: '/cron-schedule' }],
            }],
            volumes: [{
              name: 'cron-scheduler-configmap',
              configMap: { name: 'whereabouts-config', defaultMode: 0o744, items: [{ key: 'cron-expression', path: 'config' }] },
            }],
          },
        },
      },
    });
  }
}
