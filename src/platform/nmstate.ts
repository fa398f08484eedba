import { ImagePullPolicy, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ImageOverride } from './image-override';
import { closed, createCrd, CrdVersion, INT_OR_STRING, INTEGER, kindSchema, open, STRING, STRING_LIST, STRING_MAP } from './private/crd';
import { resolveImage } from './private/image';
import { applyWaves, namespace, pullPolicy, saSubject } from './private/objects';
import { CRUD, READ, rule } from './private/rbac';
import { DefaultImages } from './versions';
import { optionalBoolean, optionalEnum, requireStruct } from '../validation/types';

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

/** A `kubectl get` column over the condition that is true, described by its name as upstream does. */
const trueCondition = (name: string, field: string, type = 'string'): k8s.CustomResourceColumnDefinition => ({
  description: name, jsonPath: `.status.conditions[?(@.status=="True")].${field}`, name, type,
});
const STATUS = trueCondition('Status', 'type');
const REASON = trueCondition('Reason', 'reason');
const ENACTMENT_COLUMNS = [STATUS, trueCondition('Status Age', 'lastTransitionTime', 'date'), REASON];

const TIME = { type: 'string', format: 'date-time' };
const INTEGER_MAP = { type: 'object', additionalProperties: INTEGER };
/** The conditions list every nmstate.io status carries. */
const CONDITIONS = {
  type: 'array',
  items: {
    type: 'object',
    required: ['status', 'type'],
    properties: { lastHeartbeatTime: TIME, lastTransitionTime: TIME, message: STRING, reason: STRING, status: STRING, type: STRING },
  },
};
/** When and by which nmstate version a state was read or written. */
const META_INFO = closed({ time: TIME, version: STRING });

/**
 * The schemas of kubernetes-nmstate v0.86.0's CRDs (deploy/crds), field for
 * field, so the API server prunes and checks what the handler writes as the
 * upstream install does.
 */
const POLICY_SCHEMA = kindSchema({
  spec: closed({
    capture: STRING_MAP,
    desiredState: open(),
    maxUnavailable: INT_OR_STRING,
    nodeSelector: {
      ...STRING_MAP,
      'maxProperties': 256,
      'x-kubernetes-validations': [{ message: 'nodeSelector keys must be valid qualified names', rule: 'self.all(k, !format.qualifiedName().validate(k).hasValue())' }],
    },
  }),
  status: closed({
    conditions: CONDITIONS,
    lastUnavailableNodeCountUpdate: TIME,
    unavailableNodeCount: INTEGER,
    unavailableNodeCountMap: INTEGER_MAP,
  }),
});
const ENACTMENT_SCHEMA = {
  ...kindSchema({
    status: closed({
      capturedStates: { type: 'object', additionalProperties: closed({ metaInfo: META_INFO, state: open() }) },
      conditions: CONDITIONS,
      desiredState: open(),
      desiredStateMetaInfo: META_INFO,
      features: STRING_LIST,
      policyGeneration: { type: 'integer', format: 'int64' },
      retryCount: INTEGER_MAP,
    }),
  }),
  'x-kubernetes-preserve-unknown-fields': true,
};
const STATE_SCHEMA = kindSchema({
  status: closed({
    conditions: CONDITIONS,
    currentState: open(),
    handlerNetworkManagerVersion: STRING,
    handlerNmstateVersion: STRING,
    hostNetworkManagerVersion: STRING,
    lastSuccessfulUpdateTime: TIME,
  }),
});

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
    requireStruct(this, 'props', props);
    optionalEnum(this, 'imagePullPolicy', props.imagePullPolicy, ImagePullPolicy, 'ImagePullPolicy');
    optionalBoolean(this, 'argoCdSyncWaves', props.argoCdSyncWaves);
    this.image = resolveImage(this, 'image', DefaultImages.NMSTATE_HANDLER, props.image).reference;

    const crd = (crdId: string, plural: string, kind: string, short: string, versions: CrdVersion[]) => createCrd(this, crdId, {
      group: GROUP, plural, singular: plural.replace(/ies$/, 'y').replace(/s$/, ''), kind, listKind: `${kind}List`, shortNames: [short], scope: 'Cluster', versions,
    });
    const policy = { served: true, statusSubresource: true, schema: POLICY_SCHEMA, printerColumns: [STATUS, REASON] };
    crd('PolicyCrd', 'nodenetworkconfigurationpolicies', 'NodeNetworkConfigurationPolicy', 'nncp', [
      { ...policy, name: 'v1', storage: true },
      { ...policy, name: 'v1beta1', storage: false, deprecated: true },
    ]);
    crd('EnactmentCrd', 'nodenetworkconfigurationenactments', 'NodeNetworkConfigurationEnactment', 'nnce', [{
      name: 'v1beta1', served: true, storage: true, statusSubresource: true, schema: ENACTMENT_SCHEMA, printerColumns: ENACTMENT_COLUMNS,
    }]);
    crd('StateCrd', 'nodenetworkstates', 'NodeNetworkState', 'nns', [{
      name: 'v1beta1', served: true, storage: true, statusSubresource: true, schema: STATE_SCHEMA,
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
