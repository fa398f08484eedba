import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { AGE_AND_PHASE, createCrd, INTEGER, INT_OR_STRING, kindSchema, open, STRING, STRING_LIST } from './crd';
import { KUBEVIRT_SERVICE_ACCOUNT, kubevirtOperatorRbac } from './kubevirt-rbac';
import { namespace, RESTRICTED_CONTAINER, RESTRICTED_POD } from './objects';
import { resources } from './workloads';
import { ControlPlanePlacement } from '../kubevirt-options';

const OPERATOR = 'virt-operator';
const PRIORITY_CLASS = 'kubevirt-cluster-critical';

/** What the virt-operator install depends on. */
export interface KubeVirtOperatorSettings {
  readonly namespace: string;
  /** The resolved virt-operator image. */
  readonly image: string;
  /** The KubeVirt version the operator deploys. */
  readonly version: string;
  readonly replicas: number;
  readonly placement: ControlPlanePlacement;
  /** The pull policy as the API spells it. */
  readonly pullPolicy: string;
}

/** What the virt-operator install returns. */
export interface KubeVirtOperatorInstall {
  readonly crd: k8s.KubeCustomResourceDefinition;
  readonly deployment: k8s.KubeDeployment;
}

/**
 * Everything KubeVirt's operator needs before the `KubeVirt` object: its
 * namespace, the `kubevirts.kubevirt.io` CRD, the priority class of the
 * control plane, the operator's RBAC and its Deployment.
 */
export function installKubeVirtOperator(scope: Construct, s: KubeVirtOperatorSettings): KubeVirtOperatorInstall {
  const ns = s.namespace;
  namespace(scope, 'Namespace', ns, 'privileged', { 'kubevirt.io': '' });
  const crd = createCrd(scope, 'Crd', {
    group: 'kubevirt.io',
    plural: 'kubevirts',
    singular: 'kubevirt',
    kind: 'KubeVirt',
    shortNames: ['kv', 'kvs'],
    categories: ['all'],
    scope: 'Namespaced',
    labels: { 'operator.kubevirt.io': '' },
    versions: ['v1', 'v1alpha3'].map(v => ({
      name: v, served: true, storage: v === 'v1', statusSubresource: true, schema: KUBEVIRT_SCHEMA, printerColumns: AGE_AND_PHASE,
    })),
  });
  new k8s.KubePriorityClass(scope, 'PriorityClass', {
    metadata: { name: PRIORITY_CLASS },
    value: 1000000000,
    globalDefault: false,
    description: 'Priority of the KubeVirt control plane and node agents, so they are not evicted before the VMs they manage.',
  });
  kubevirtOperatorRbac(scope, ns);
  return { crd, deployment: createOperator(scope, s) };
}

/** The virt-operator Deployment. */
function createOperator(scope: Construct, s: KubeVirtOperatorSettings): k8s.KubeDeployment {
  const labels = { 'kubevirt.io': OPERATOR };
  const placement = controlPlaneAffinity(s.placement);
  const env: k8s.EnvVar[] = [
    { name: 'VIRT_OPERATOR_IMAGE', value: s.image },
    { name: 'WATCH_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.annotations[\'olm.targetNamespaces\']' } } },
    { name: 'KUBEVIRT_VERSION', value: s.version },
  ];
  return new k8s.KubeDeployment(scope, 'Operator', {
    metadata: { name: OPERATOR, namespace: s.namespace, labels },
    spec: {
      replicas: s.replicas,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate' },
      template: {
        metadata: {
          name: OPERATOR,
          // The last label lets the operator reach the API server where
          // KubeVirt's network policies are in force.
          labels: { ...labels, 'name': OPERATOR, 'prometheus.kubevirt.io': 'true', 'np.kubevirt.io/allow-access-cluster-services': 'true' },
        },
        spec: {
          priorityClassName: PRIORITY_CLASS,
          serviceAccountName: KUBEVIRT_SERVICE_ACCOUNT,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, ...placement.tolerations],
          affinity: {
            ...(placement.nodeAffinity ? { nodeAffinity: placement.nodeAffinity } : {}),
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 1,
                podAffinityTerm: {
                  topologyKey: 'kubernetes.io/hostname',
                  labelSelector: { matchExpressions: [{ key: 'kubevirt.io', operator: 'In', values: [OPERATOR] }] },
                },
              }],
            },
          },
          securityContext: RESTRICTED_POD,
          containers: [{
            name: OPERATOR,
            image: s.image,
            imagePullPolicy: s.pullPolicy,
            command: [OPERATOR],
            args: ['--port', '8443', '-v', '2'],
            ports: [
              { name: 'metrics', containerPort: 8443, protocol: 'TCP' },
              { name: 'webhooks', containerPort: 8444, protocol: 'TCP' },
            ],
            livenessProbe: metricsProbe(),
            readinessProbe: metricsProbe(),
            env,
            resources: resources('10m', '450Mi'),
            securityContext: RESTRICTED_CONTAINER,
            terminationMessagePolicy: 'FallbackToLogsOnError',
            volumeMounts: [
              { name: 'kubevirt-operator-certs', mountPath: '/etc/virt-operator/certificates', readOnly: true },
              { name: 'profile-data', mountPath: '/profile-data' },
            ],
          }],
          volumes: [
            { name: 'kubevirt-operator-certs', secret: { secretName: 'kubevirt-operator-certs', optional: true } },
            { name: 'profile-data', emptyDir: {} },
          ],
        },
      },
    },
  });
}

/** virt-operator's liveness and readiness probe: its HTTPS metrics endpoint. */
function metricsProbe(): k8s.Probe {
  return { httpGet: { path: '/metrics', port: k8s.IntOrString.fromNumber(8443), scheme: 'HTTPS' }, initialDelaySeconds: 5, timeoutSeconds: 10 };
}

/** Schema of the `kubevirts.kubevirt.io` CRD as this library writes it. */
const KUBEVIRT_SCHEMA = kindSchema({
  spec: open({
    certificateRotateStrategy: open(),
    configuration: open({
      developerConfiguration: open({ featureGates: STRING_LIST }),
      evictionStrategy: STRING,
      migrations: open({
        bandwidthPerMigration: INT_OR_STRING,
        completionTimeoutPerGiB: INTEGER,
        network: STRING,
        parallelMigrationsPerCluster: INTEGER,
        parallelOutboundMigrationsPerNode: INTEGER,
      }),
    }),
    imagePullPolicy: STRING,
    imageRegistry: STRING,
    imageTag: STRING,
    infra: open({ nodePlacement: open(), replicas: INTEGER }),
    workloadUpdateStrategy: open(),
    workloads: open({ nodePlacement: open() }),
  }),
  status: open(),
}, ['spec']);

const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';
const MASTER = 'node-role.kubernetes.io/master';

/** Node affinity and tolerations of a control-plane placement (see `ControlPlanePlacement`). */
function controlPlaneAffinity(mode: ControlPlanePlacement): { nodeAffinity?: { [key: string]: any }; tolerations: Array<{ [key: string]: string }> } {
  const tolerate = (key: string) => ({ key, operator: 'Exists', effect: 'NoSchedule' });
  switch (mode) {
    case ControlPlanePlacement.PREFER:
      // Kubernetes labels and taints control-plane nodes with the control-plane role only since v1.25 (kubeadm)
      return {
        nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: CONTROL_PLANE, operator: 'Exists' }] } }] },
        tolerations: [tolerate(CONTROL_PLANE)],
      };
    case ControlPlanePlacement.REQUIRE:
      // as KubeVirt v1.9 places its control components (placement.go, RequireControlPlanePreferNonWorker)
      return {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: CONTROL_PLANE, operator: 'Exists' }] }, { matchExpressions: [{ key: MASTER, operator: 'Exists' }] }],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'node-role.kubernetes.io/worker', operator: 'DoesNotExist' }] } }],
        },
        tolerations: [tolerate(CONTROL_PLANE), tolerate(MASTER)],
      };
    default:
      return { tolerations: [] };
  }
}

/**
 * `spec.infra.nodePlacement` for a control-plane placement. Without one
 * virt-operator requires control-plane nodes (InjectPlacementMetadata with
 * RequireControlPlanePreferNonWorker, pkg/virt-operator/resource/apply/apps.go
 * at v1.9.0), so REQUIRE leaves it out and ANY_NODE names only the Linux
 * selector the operator would add anyway.
 */
export function controlPlaneInfraPlacement(mode: ControlPlanePlacement): { [key: string]: any } | undefined {
  if (mode === ControlPlanePlacement.REQUIRE) return undefined;
  if (mode === ControlPlanePlacement.ANY_NODE) return { nodeSelector: { 'kubernetes.io/os': 'linux' } };
  const { nodeAffinity, tolerations } = controlPlaneAffinity(mode);
  return { affinity: { nodeAffinity }, tolerations };
}
