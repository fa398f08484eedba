import { ImagePullPolicy, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ImageOverride } from './image-override';
import { createCrd, CrdVersion, INT_OR_STRING, kindSchema, open, STRING_MAP } from './private/crd';
import { resolveImage } from './private/image';
import { applyWaves, namespace, pullPolicy, saSubject } from './private/objects';
import { CRUD, READ, rule } from './private/rbac';
import { DefaultImages } from './versions';
import { checkShape, Shape } from '../validation';

/** Settings of the `Nmstate` construct. */
export interface NmstateProps {
  /**
   * Where the kubernetes-nmstate handler image comes from.
   * @default - `DefaultImages.NMSTATE_HANDLER`
   */
  readonly image?: ImageOverride;

  /**
   * Pull policy of the handler's container.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;

  /**
   * Annotate every object with its Argo CD sync wave (see `SyncWave`).
   * @default false
   */
  readonly argoCdSyncWaves?: boolean;
}

const NAME = 'nmstate-handler';
const NAMESPACE = 'nmstate';
const GROUP = 'nmstate.io';

/** Status and reason columns of policies and enactments: the condition that is true. */
const STATUS_COLUMNS: k8s.CustomResourceColumnDefinition[] = [
  { jsonPath: '.status.conditions[?(@.status=="True")].type', name: 'Status', type: 'string' },
  { jsonPath: '.status.conditions[?(@.status=="True")].reason', name: 'Reason', type: 'string' },
];

/**
 * The kubernetes-nmstate handler, which applies
 * `NodeNetworkConfigurationPolicy` objects on the nodes: the `nmstate.io`
 * CRDs (policies, enactments, node network states), the `nmstate`
 * namespace, RBAC and the handler DaemonSet. The handler runs privileged on
 * the host network and talks to NetworkManager on each node over D-Bus, so
 * the nodes need NetworkManager. The RBAC is what upstream grants the
 * handler's service account, without the rules its admission webhook and
 * metrics deployments need (they are not installed).
 *
 * `ApiObject.of(nmstate)` is the DaemonSet.
 * @see https://nmstate.io/kubernetes-nmstate/
 */
export class Nmstate extends Construct {
  /** Namespace the handler runs in (`nmstate`). */
  public readonly namespace: string = NAMESPACE;
  /** The resolved handler image. */
  public readonly image: string;

  public constructor(scope: Construct, id: string, props: NmstateProps = {}) {
    super(scope, id);
    checkShape(this, 'props', props, {
      image: Shape.optImageOverride, imagePullPolicy: Shape.optEnum(ImagePullPolicy, 'ImagePullPolicy'), argoCdSyncWaves: Shape.optBoolean,
    });
    this.image = resolveImage(this, 'image', DefaultImages.NMSTATE_HANDLER, props.image).reference;

    const status = open();
    const crd = (crdId: string, plural: string, kind: string, short: string, versions: CrdVersion[]) => createCrd(this, crdId, {
      group: GROUP, plural, singular: plural.replace(/ies$/, 'y').replace(/s$/, ''), kind, listKind: `${kind}List`, shortNames: [short], scope: 'Cluster', versions,
    });
    const policySchema = kindSchema({
      spec: {
        type: 'object',
        properties: {
          capture: STRING_MAP,
          desiredState: open(),
          maxUnavailable: INT_OR_STRING,
          nodeSelector: STRING_MAP,
        },
      },
      status,
    });
    crd('PolicyCrd', 'nodenetworkconfigurationpolicies', 'NodeNetworkConfigurationPolicy', 'nncp', ['v1', 'v1beta1'].map(v => ({
      name: v, served: true, storage: v === 'v1', statusSubresource: true, schema: policySchema, printerColumns: STATUS_COLUMNS,
    })));
    crd('EnactmentCrd', 'nodenetworkconfigurationenactments', 'NodeNetworkConfigurationEnactment', 'nnce', [{
      name: 'v1beta1', served: true, storage: true, statusSubresource: true, schema: kindSchema({ status }), printerColumns: STATUS_COLUMNS,
    }]);
    crd('StateCrd', 'nodenetworkstates', 'NodeNetworkState', 'nns', [{
      name: 'v1beta1', served: true, storage: true, statusSubresource: true, schema: kindSchema({ status }),
    }]);

    namespace(this, 'Namespace', NAMESPACE, 'privileged', { name: NAMESPACE });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: NAME, namespace: NAMESPACE } });
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: NAME },
      rules: [
        rule([GROUP], ['*'], ['*']),
        rule([''], ['pods', 'nodes', 'namespaces'], ['*']),
        rule([''], ['secrets'], ['list', 'get', 'create', 'update', 'watch']),
        rule([''], ['configmaps'], ['*']),
        rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
        rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: NAME },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
      subjects: [saSubject(NAME, NAMESPACE)],
    });
    new k8s.KubeRole(this, 'Role', {
      metadata: { name: NAME, namespace: NAMESPACE },
      rules: [
        rule([''], ['services', 'endpoints', 'persistentvolumeclaims', 'events', 'configmaps', 'pods'], READ),
        rule([''], ['secrets'], CRUD),
        rule([''], ['events'], ['get', 'list', 'create', 'update']),
        rule(['coordination.k8s.io'], ['leases'], ['get', 'create', 'update']),
      ],
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: NAME, namespace: NAMESPACE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: NAME },
      subjects: [saSubject(NAME, NAMESPACE)],
    });

    const labels = { app: 'kubernetes-nmstate', component: 'kubernetes-nmstate-handler' };
    const fieldEnv = (name: string, fieldPath: string): k8s.EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });
    new k8s.KubeDaemonSet(this, 'Resource', {
      metadata: { name: NAME, namespace: NAMESPACE, labels },
      spec: {
        selector: { matchLabels: { name: NAME } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } },
        template: {
          metadata: { labels: { ...labels, name: NAME } },
          spec: {
            hostNetwork: true,
            dnsPolicy: 'Default',
            serviceAccountName: NAME,
            priorityClassName: 'system-node-critical',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ operator: 'Exists' }],
            containers: [{
              name: NAME,
              image: this.image,
              imagePullPolicy: pullPolicy(props.imagePullPolicy),
              command: ['manager'],
              args: ['--zap-time-encoding=iso8601'],
              env: [
                { name: 'WATCH_NAMESPACE', value: '' },
                fieldEnv('POD_NAME', 'metadata.name'),
                { name: 'OPERATOR_NAME', value: 'nmstate' },
                fieldEnv('NODE_NAME', 'spec.nodeName'),
                { name: 'NMSTATE_INSTANCE_NODE_LOCK_FILE', value: '/var/k8s_nmstate/handler_lock' },
              ],
              resources: {
                requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('100Mi') },
                limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('1Gi') },
              },
              securityContext: { privileged: true },
              terminationMessagePolicy: 'FallbackToLogsOnError',
              readinessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
              volumeMounts: [
                { name: 'dbus-socket', mountPath: '/run/dbus/system_bus_socket' },
                { name: 'nmstate-lock', mountPath: '/var/k8s_nmstate' },
                { name: 'ovs-socket', mountPath: '/run/openvswitch' },
              ],
            }],
            volumes: [
              { name: 'dbus-socket', hostPath: { path: '/run/dbus/system_bus_socket', type: 'Socket' } },
              { name: 'nmstate-lock', hostPath: { path: '/var/k8s_nmstate' } },
              { name: 'ovs-socket', hostPath: { path: '/run/openvswitch' } },
            ],
          },
        },
      },
    });
    if (props.argoCdSyncWaves) applyWaves(this);
  }
}
