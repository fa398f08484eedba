import { ApiObject, Lazy } from 'cdk8s';
import { ImagePullPolicy, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { FeatureGate, FeatureGateComponent } from './feature-gate';
import { ImageOverride } from './image-override';
import { NodePlacement } from './node-placement';
import { PlatformPartProps } from './platform-part-props';
import { propError, requireDns1123Label, Shape } from '../validation';
import { AGE_AND_PHASE, createCrd, kindSchema, open, STRING, STRING_LIST } from './private/crd';
import { addGivenFeatureGate, requireFeatureGates, FEATURE_GATES_RULE } from './private/feature-gates';
import { resolveImage, ResolvedImage, siblingImage } from './private/image';
import { requireReplicas, namespace, pullPolicy, RESTRICTED_CONTAINER, RESTRICTED_POD, saSubject, serviceAccount } from './private/objects';
import { requirePartShape, finishPart, OPERATOR_RULES } from './private/part';
import { PLACEMENT_RULE, renderPlacement } from './private/placement';
import { ALL, CRUD, grant, READ, rule, urlRule } from './private/rbac';
import { reportWarnings } from '../private/warnings';
import { resources } from './private/workloads';
import { DefaultImages, PlatformVersions } from './versions';
import { PlatformKind, registerPlatformObject } from '../private/platform-config';

/** How CDI clones a volume when a DataVolume asks for a clone. */
export enum CdiCloneStrategy {
  /** Host-assisted copy through a cloner pod. */
  COPY = 'copy',
  /** CSI volume snapshot, then a restore. */
  SNAPSHOT = 'snapshot',
  /** CSI volume cloning. */
  CSI_CLONE = 'csi-clone',
}

/** Settings of the `Cdi` construct. */
export interface CdiProps extends PlatformPartProps {
  /**
   * Namespace CDI is installed into (created by this construct).
   * @default 'cdi'
   */
  readonly namespace?: string;

  /**
   * Where the cdi-operator image comes from. Its registry and tag also apply
   * to the controller, importer, cloner, API server, upload proxy and upload
   * server images the operator deploys.
   * @default - `DefaultImages.CDI_OPERATOR`
   */
  readonly image?: ImageOverride;

  /**
   * Pull policy of the operator and of the components it deploys.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;

  /**
   * Replicas of the cdi-operator Deployment.
   * @default 1
   */
  readonly replicas?: number;

  /**
   * CDI feature gates to switch on (`spec.config.featureGates`).
   * @default [FeatureGate.HONOR_WAIT_FOR_FIRST_CONSUMER] - as upstream's sample CR
   */
  readonly featureGates?: FeatureGate[];

  /**
   * URL users upload images to, when the upload proxy is exposed outside the
   * cluster (`spec.config.uploadProxyURLOverride`).
   * @default - the in-cluster upload proxy service
   */
  readonly uploadProxyUrlOverride?: string;

  /**
   * Clone strategy for every storage class (`spec.cloneStrategyOverride`).
   * @default - chosen per storage class by its StorageProfile
   */
  readonly cloneStrategyOverride?: CdiCloneStrategy;

  /**
   * Storage class of the scratch space used while importing and uploading
   * (`spec.config.scratchSpaceStorageClass`).
   * @default - the storage class of the target volume, or the default class
   */
  readonly scratchSpaceStorageClass?: string;

  /**
   * Where the CDI controller, API server and upload proxy run (`spec.infra`).
   * @default - any Linux node
   */
  readonly infraPlacement?: NodePlacement;

  /**
   * Where importer, cloner and upload pods run (`spec.workload`).
   * @default - any Linux node
   */
  readonly workloadPlacement?: NodePlacement;
}

const OPERATOR = 'cdi-operator';
const LINUX = { nodeSelector: { 'kubernetes.io/os': 'linux' } };

/**
 * CDI v1.66: its namespace, the `cdis.cdi.kubevirt.io` CRD, the operator's
 * RBAC and Deployment, and the cluster-scoped `CDI` object that configures
 * what the operator deploys. The operator creates the DataVolume and other
 * CRDs at runtime.
 *
 * `ApiObject.of(cdi)` is the `CDI` object.
 */
export class Cdi extends Construct {
  /** Namespace CDI runs in. */
  public readonly namespace: string;
  /** The resolved cdi-operator image. */
  public readonly image: string;
  /** The `cdi-operator` Deployment. */
  public readonly operatorDeployment: k8s.KubeDeployment;
  /** The `cdis.cdi.kubevirt.io` CRD. */
  public readonly crd: k8s.KubeCustomResourceDefinition;

  private readonly props: CdiProps;
  private readonly resolved: ResolvedImage;
  private readonly gates: FeatureGate[] = [];

  public constructor(scope: Construct, id: string, props: CdiProps = {}) {
    super(scope, id);
    requirePartShape(this, props, {
      ...OPERATOR_RULES,
      featureGates: FEATURE_GATES_RULE,
      uploadProxyUrlOverride: Shape.optString,
      cloneStrategyOverride: Shape.optEnum(CdiCloneStrategy, 'CdiCloneStrategy'),
      scratchSpaceStorageClass: Shape.optString,
      infraPlacement: PLACEMENT_RULE,
      workloadPlacement: PLACEMENT_RULE,
    });
    this.props = props;
    const ns = props.namespace ?? 'cdi';
    requireDns1123Label(this, 'namespace', ns);
    this.namespace = ns;
    this.resolved = resolveImage(this, 'image', DefaultImages.CDI_OPERATOR, props.image);
    this.image = this.resolved.reference;
    const replicas = requireReplicas(this, 'replicas', props.replicas, 1);
    if (props.uploadProxyUrlOverride !== undefined && !/^https?:\/\/[^\s/]+/.test(props.uploadProxyUrlOverride)) {
      throw propError(this, 'uploadProxyUrlOverride', props.uploadProxyUrlOverride, 'must be an http(s) URL', 'use e.g. \'https://cdi-uploadproxy.example.com\'');
    }
    for (const g of props.featureGates ?? [FeatureGate.HONOR_WAIT_FOR_FIRST_CONSUMER]) this.addFeatureGate(g);

    // CDI's own pods all run with the restricted profile; importer, cloner and
    // upload pods run in the namespaces of the DataVolumes, not here.
    namespace(this, 'Namespace', ns, 'restricted', { 'cdi.kubevirt.io': '' });
    this.crd = createCrd(this, 'Crd', {
      group: 'cdi.kubevirt.io',
      plural: 'cdis',
      singular: 'cdi',
      kind: 'CDI',
      listKind: 'CDIList',
      shortNames: ['cdi', 'cdis'],
      scope: 'Cluster',
      labels: { 'operator.cdi.kubevirt.io': '' },
      versions: ['v1alpha1', 'v1beta1'].map(v => ({
        name: v, served: true, storage: v === 'v1beta1', schema: CDI_SCHEMA, printerColumns: AGE_AND_PHASE,
      })),
    });
    const labels = { 'operator.cdi.kubevirt.io': '' };
    const subject = saSubject(OPERATOR, ns);
    grant(this, { name: `${OPERATOR}-cluster`, bindingName: OPERATOR, labels, subject, rules: CDI_CLUSTER_RULES });
    serviceAccount(this, OPERATOR, ns, labels);
    grant(this, { name: OPERATOR, namespace: ns, labels, subject, rules: CDI_NAMESPACED_RULES });
    this.operatorDeployment = this.createOperator(replicas);

    const resource = new ApiObject(this, 'Resource', {
      apiVersion: 'cdi.kubevirt.io/v1beta1',
      kind: 'CDI',
      metadata: { name: 'cdi' },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
    registerPlatformObject(PlatformKind.CDI, resource);
    reportWarnings(this, () => requireFeatureGates(this, 'featureGates', this.gates, FeatureGateComponent.CDI));
    finishPart(this, props, resource);
  }

  /** The feature gates switched on, in the order given. */
  public get featureGates(): FeatureGate[] {
    return [...this.gates];
  }

  /**
   * Switches on one more CDI feature gate (set once even if added twice).
   * @param gate the gate
   */
  public addFeatureGate(gate: FeatureGate): void {
    addGivenFeatureGate(this, this.gates, gate, FeatureGateComponent.CDI);
  }

  /** @internal */
  public _toKube(): { [key: string]: any } {
    const p = this.props;
    const spec: { [key: string]: any } = {};
    if (p.cloneStrategyOverride) spec.cloneStrategyOverride = p.cloneStrategyOverride;
    const config: { [key: string]: any } = { featureGates: this.gates.map(g => g.name) };
    if (p.scratchSpaceStorageClass) config.scratchSpaceStorageClass = p.scratchSpaceStorageClass;
    if (p.uploadProxyUrlOverride) config.uploadProxyURLOverride = p.uploadProxyUrlOverride;
    spec.config = config;
    spec.imagePullPolicy = pullPolicy(p.imagePullPolicy);
    spec.infra = renderPlacement(p.infraPlacement) ?? LINUX;
    spec.workload = renderPlacement(p.workloadPlacement) ?? LINUX;
    return spec;
  }

  private createOperator(replicas: number): k8s.KubeDeployment {
    const labels = { name: OPERATOR };
    const image = (name: string) => siblingImage(this.resolved, name, PlatformVersions.CDI);
    const env: k8s.EnvVar[] = [
      { name: 'DEPLOY_CLUSTER_RESOURCES', value: 'true' },
      { name: 'OPERATOR_VERSION', value: this.resolved.tag ?? PlatformVersions.CDI },
      { name: 'CONTROLLER_IMAGE', value: image('cdi-controller') },
      { name: 'IMPORTER_IMAGE', value: image('cdi-importer') },
      { name: 'CLONER_IMAGE', value: image('cdi-cloner') },
      { name: 'OVIRT_POPULATOR_IMAGE', value: image('cdi-importer') },
      { name: 'APISERVER_IMAGE', value: image('cdi-apiserver') },
      { name: 'UPLOAD_SERVER_IMAGE', value: image('cdi-uploadserver') },
      { name: 'UPLOAD_PROXY_IMAGE', value: image('cdi-uploadproxy') },
      { name: 'VERBOSITY', value: '1' },
      { name: 'PULL_POLICY', value: pullPolicy(this.props.imagePullPolicy) },
      { name: 'MONITORING_NAMESPACE' },
    ];
    return new k8s.KubeDeployment(this, 'Operator', {
      metadata: { name: OPERATOR, namespace: this.namespace, labels: { ...labels, 'operator.cdi.kubevirt.io': '' } },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        strategy: {},
        template: {
          metadata: { labels: { ...labels, 'cdi.kubevirt.io': OPERATOR, 'prometheus.cdi.kubevirt.io': 'true' } },
          spec: {
            serviceAccountName: OPERATOR,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
            securityContext: RESTRICTED_POD,
            containers: [{
              name: OPERATOR,
              image: this.image,
              imagePullPolicy: pullPolicy(this.props.imagePullPolicy),
              // The operator serves metrics on 8443 and its health checks on 8444.
              ports: [
                { name: 'metrics', containerPort: 8443, protocol: 'TCP' },
                { name: 'health', containerPort: 8444, protocol: 'TCP' },
              ],
              livenessProbe: healthProbe('/healthz'),
              readinessProbe: healthProbe('/readyz'),
              env,
              resources: resources('100m', '150Mi'),
              securityContext: RESTRICTED_CONTAINER,
            }],
          },
        },
      },
    });
  }
}

/** An HTTP probe of the operator's health port. */
function healthProbe(path: string): k8s.Probe {
  return { httpGet: { path, port: k8s.IntOrString.fromNumber(8444), scheme: 'HTTP' }, initialDelaySeconds: 5, timeoutSeconds: 10 };
}

/** Schema of the `cdis.cdi.kubevirt.io` CRD as this library writes it. */
const CDI_SCHEMA = kindSchema({
  spec: open({
    cloneStrategyOverride: { type: 'string', enum: ['copy', 'snapshot', 'csi-clone'] },
    config: open({
      featureGates: STRING_LIST,
      scratchSpaceStorageClass: STRING,
      uploadProxyURLOverride: STRING,
    }),
    imagePullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] },
    infra: open(),
    workload: open(),
  }),
  status: open(),
}, ['spec']);

/** Cluster rules of cdi-operator: its own plus those of the CDI components. */
const CDI_CLUSTER_RULES: k8s.PolicyRule[] = [
  rule(['rbac.authorization.k8s.io'], ['clusterrolebindings', 'clusterroles'], CRUD),
  rule(['apiextensions.k8s.io'], ['customresourcedefinitions', 'customresourcedefinitions/status'], CRUD),
  rule(['cdi.kubevirt.io', 'upload.cdi.kubevirt.io'], ['*'], ['*']),
  rule(['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'], ['create', 'list', 'watch']),
  rule(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations'], ['get', 'update', 'delete'], [
    'cdi-api-dataimportcron-validate', 'cdi-api-populator-validate', 'cdi-api-datavolume-validate',
    'cdi-api-validate', 'objecttransfer-api-validate',
  ]),
  rule(['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations'], ['get', 'update', 'delete'], ['cdi-api-datavolume-mutate', 'cdi-api-pvc-mutate']),
  // the operator removes this webhook, left by older releases, on upgrade
  rule(['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations'], ['delete'], ['cdi-api-dataimportcron-mutate']),
  rule(['apiregistration.k8s.io'], ['apiservices'], CRUD),
  rule(['populator.storage.k8s.io'], ['volumepopulators'], CRUD),
  rule(['security.openshift.io'], ['securitycontextconstraints'], ['get', 'list', 'watch', 'create', 'update']),
  rule([''], ['persistentvolumeclaims', 'persistentvolumeclaims/finalizers', 'pods', 'pods/finalizers'], ALL),
  rule([''], ['persistentvolumes'], ['get', 'list', 'watch', 'update']),
  rule([''], ['services'], CRUD),
  rule([''], ['namespaces'], READ),
  rule(['storage.k8s.io'], ['storageclasses', 'csidrivers'], READ),
  rule(['snapshot.storage.k8s.io'], ['volumesnapshots', 'volumesnapshotclasses', 'volumesnapshotcontents'], CRUD),
  rule(['snapshot.storage.k8s.io'], ['volumesnapshots'], ['deletecollection']),
  // cluster-wide core rules of the cdi controller and apiserver ClusterRoles
  rule([''], ['configmaps'], ['get', 'list', 'watch', 'create']),
  rule([''], ['events'], ['get', 'list', 'watch', 'create', 'patch']),
  rule([''], ['secrets'], ['create']),
  rule(['config.openshift.io'], ['clusterversions'], ['get']),
  rule(['scheduling.k8s.io'], ['priorityclasses'], READ),
  rule(['forklift.cdi.kubevirt.io'], ['*'], ['*']),
  rule(['kubevirt.io'], ['virtualmachines/finalizers'], ['update']),
  rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
  rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
  rule(['config.openshift.io'], ['proxies', 'infrastructures'], READ),
  rule(['image.openshift.io'], ['imagestreams'], READ),
  urlRule(['/metrics', '/debug/pprof*'], ['get']),
];

/** Namespaced rules of cdi-operator in its own namespace. */
const CDI_NAMESPACED_RULES: k8s.PolicyRule[] = [
  rule(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], CRUD),
  rule([''], ['serviceaccounts', 'configmaps', 'events', 'secrets', 'services'], CRUD),
  rule(['apps'], ['deployments', 'deployments/finalizers'], CRUD),
  rule(['route.openshift.io'], ['routes', 'routes/custom-host'], CRUD),
  rule(['config.openshift.io'], ['proxies'], READ),
  rule(['monitoring.coreos.com'], ['servicemonitors', 'prometheusrules'], CRUD),
  rule(['coordination.k8s.io'], ['leases'], CRUD),
  rule(['cdi.kubevirt.io'], ['*'], ['*']),
  // the cdi-apiserver Role grants every verb on these in the CDI namespace
  rule([''], ['secrets', 'configmaps'], ['*']),
  // the cdi controller's Role: import cron jobs, their jobs, and ingresses for the upload proxy URL
  rule(['batch'], ['cronjobs'], ['get', 'list', 'watch', 'create', 'update', 'deletecollection']),
  rule(['batch'], ['jobs'], ['create', 'deletecollection', 'list', 'watch']),
  rule(['networking.k8s.io'], ['ingresses'], READ),
  // the Role CDI gives Prometheus to scrape its pods
  rule([''], ['endpoints', 'pods'], READ),
];
