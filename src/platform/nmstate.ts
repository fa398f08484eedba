import { ImagePullPolicy, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ImageOverride } from './image-override';
import { PlatformPartProps } from './platform-part-props';
import { closed, createCrd, CrdVersion, INT_OR_STRING, INTEGER, kindSchema, open, STRING, STRING_LIST, STRING_MAP } from './private/crd';
import { resolveImage } from './private/image';
import { namespace, pullPolicy, serviceAccount } from './private/objects';
import { requirePartShape, finishPart } from './private/part';
import { CRUD, grant, READ, rule } from './private/rbac';
import { fieldEnv, hostPathVolume, nodeDaemonSet, resources } from './private/workloads';
import { DefaultImages } from './versions';

/** Settings of the `Nmstate` construct. */
export interface NmstateProps extends PlatformPartProps {
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

/** Whether the policy's spec is unchanged by an update (creates always pass the update rules). */
const SPEC_KEPT = "request.operation != 'UPDATE' || object.spec == oldObject.spec";
/**
 * What kubernetes-nmstate v0.86.0 admits for a policy
 * (deploy/handler/operator.yaml, nncp-validation-policy).
 */
const POLICY_VALIDATIONS: k8s.Validation[] = [
  {
    // enactments carry the policy's name as a label value
    expression: "request.operation != 'CREATE' || object.metadata.name == '' || "
      + "(size(object.metadata.name) <= 63 && object.metadata.name.matches('^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$'))",
    messageExpression: "'invalid policy name: \"' + object.metadata.name + '\": must be no more than 63 characters or match label value format'",
    reason: 'Invalid',
  },
  {
    expression: `${SPEC_KEPT} || (has(oldObject.status) && has(oldObject.status.conditions) && `
      + "oldObject.status.conditions.exists(c, c.type == 'Available' && has(c.reason) && c.reason != '' && c.reason != 'ConfigurationProgressing'))",
    messageExpression: "'policy ' + object.metadata.name + ' is still in progress'",
    reason: 'Forbidden',
  },
  {
    expression: `${SPEC_KEPT} || (has(object.spec.capture) == has(oldObject.spec.capture) && `
      + '(!has(object.spec.capture) || object.spec.capture == oldObject.spec.capture))',
    message: 'invalid policy operation: capture field cannot be modified',
    reason: 'Invalid',
  },
  {
    expression: '!has(object.spec.nodeSelector) || object.spec.nodeSelector.all(k, !format.labelValue().validate(object.spec.nodeSelector[k]).hasValue())',
    message: 'nodeSelector values must be valid label values',
    reason: 'Invalid',
  },
];

/**
 * The kubernetes-nmstate handler, which applies
 * `NodeNetworkConfigurationPolicy` objects on the nodes: the `nmstate.io`
 * CRDs (policies, enactments, node network states) as kubernetes-nmstate
 * v0.86.0 ships them, the `nmstate` namespace, RBAC, the handler DaemonSet
 * and upstream's ValidatingAdmissionPolicy for policies (names usable as
 * label values, no spec change while a policy is still being applied,
 * `capture` fixed once set, label-value node selectors; Kubernetes 1.30 or
 * later). The handler runs privileged on the host network and talks to
 * NetworkManager on each node over D-Bus, so the nodes need NetworkManager.
 *
 * Not installed: upstream's webhook Deployment with its certificate
 * manager, whose mutating webhook resets a policy's status conditions when
 * its spec changes (here an edited policy shows its last conditions,
 * `Available` included, until the handlers report on the new spec: compare
 * the enactments' `status.policyGeneration` with the policy's
 * `metadata.generation`), and the metrics Deployment. The
 * RBAC is what upstream grants the handler's service account, without the
 * rules only those deployments use (webhook configurations, apps objects).
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
    requirePartShape(this, props, {});
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
    const subject = serviceAccount(this, NAME, NAMESPACE);
    grant(this, {
      name: NAME,
      subject,
      rules: [
        rule([GROUP], ['*'], ['*']),
        rule([''], ['pods', 'nodes', 'namespaces'], ['*']),
        rule([''], ['secrets'], ['list', 'get', 'create', 'update', 'watch']),
        rule([''], ['configmaps'], ['*']),
        rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
        rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
      ],
    });
    grant(this, {
      name: NAME,
      namespace: NAMESPACE,
      subject,
      rules: [
        rule([''], ['services', 'endpoints', 'persistentvolumeclaims', 'events', 'configmaps', 'pods'], READ),
        rule([''], ['secrets'], CRUD),
        rule([''], ['events'], ['get', 'list', 'create', 'update']),
        rule(['coordination.k8s.io'], ['leases'], ['get', 'create', 'update']),
      ],
    });
    // Policies are cluster-scoped, so the events the handler records on them
    // land in the `default` namespace.
    grant(this, { id: 'EventsRole', name: `${NAME}-events`, namespace: 'default', subject, rules: [rule([''], ['events'], ['create'])] });

    // The rules of upstream's nncp-validation-policy; the API server
    // evaluates them, no webhook server is involved.
    const policyName = 'nncp-validation-policy';
    new k8s.KubeValidatingAdmissionPolicy(this, 'PolicyValidation', {
      metadata: { name: policyName, labels: { app: 'kubernetes-nmstate' } },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [{
            apiGroups: [GROUP], apiVersions: ['v1', 'v1beta1'], resources: ['nodenetworkconfigurationpolicies'], operations: ['CREATE', 'UPDATE'],
          }],
        },
        validations: POLICY_VALIDATIONS,
      },
    });
    new k8s.KubeValidatingAdmissionPolicyBinding(this, 'PolicyValidationBinding', {
      metadata: { name: `${policyName}-binding`, labels: { app: 'kubernetes-nmstate' } },
      spec: { policyName, validationActions: ['Deny'] },
    });

    const labels = { app: 'kubernetes-nmstate', component: 'kubernetes-nmstate-handler' };
    nodeDaemonSet(this, {
      name: NAME,
      namespace: NAMESPACE,
      labels,
      selector: { name: NAME },
      tenthAtOnce: true,
      podLabels: { ...labels, name: NAME },
      pod: {
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
          resources: resources('100m', '100Mi', { cpu: '500m', memory: '1Gi' }),
          securityContext: { privileged: true },
          terminationMessagePolicy: 'FallbackToLogsOnError',
          readinessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
          // restarts a handler whose nmstate no longer answers
          livenessProbe: { exec: { command: ['bash', '-c', 'nmstatectl show 2>&1'] }, initialDelaySeconds: 60, periodSeconds: 60, timeoutSeconds: 10, failureThreshold: 5 },
          volumeMounts: [
            { name: 'dbus-socket', mountPath: '/run/dbus/system_bus_socket' },
            { name: 'nmstate-lock', mountPath: '/var/k8s_nmstate' },
            { name: 'ovs-socket', mountPath: '/run/openvswitch' },
            // nmstate persists interface alternative names as systemd .link files
            { name: 'systemd-network', mountPath: '/etc/systemd/network' },
          ],
        }],
        volumes: [
          hostPathVolume('dbus-socket', '/run/dbus/system_bus_socket', 'Socket'),
          hostPathVolume('nmstate-lock', '/var/k8s_nmstate'),
          hostPathVolume('ovs-socket', '/run/openvswitch'),
          hostPathVolume('systemd-network', '/etc/systemd/network', 'DirectoryOrCreate'),
        ],
      },
    });
    finishPart(this, props);
  }
}
