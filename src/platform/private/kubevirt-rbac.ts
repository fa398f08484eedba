import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { serviceAccount } from './objects';
import { ALL, CRUD, grant, READ, rule, urlRule } from './rbac';

/** The name of virt-operator's service account, roles and bindings. */
export const KUBEVIRT_SERVICE_ACCOUNT = 'kubevirt-operator';
/** The certificate secrets virt-operator v1.9 rotates (rbac/operator.go, its namespaced Role). */
const CERT_SECRETS = [
  'kubevirt-ca', 'kubevirt-export-ca', 'kubevirt-backup-ca', 'kubevirt-virt-handler-certs', 'kubevirt-virt-handler-server-certs',
  'kubevirt-virt-handler-migration-client-certs', 'kubevirt-virt-handler-vsock-client-certs', 'kubevirt-virt-handler-monitoring-client-certs',
  'kubevirt-operator-certs', 'kubevirt-virt-api-certs', 'kubevirt-controller-certs', 'kubevirt-exportproxy-certs',
  'kubevirt-synchronization-controller-certs', 'kubevirt-synchronization-controller-server-certs',
  'kubevirt-virt-template-api-certs', 'kubevirt-virt-template-webhook-certs', 'kubevirt-virt-template-controller-metrics-certs',
];

/**
 * virt-operator's RBAC: the role aggregated to `admin`, its service account,
 * its namespaced role and its cluster role, with their bindings.
 */
export function kubevirtOperatorRbac(scope: Construct, ns: string): void {
  const labels = { 'kubevirt.io': '' };
  new k8s.KubeClusterRole(scope, 'AdminAggregatedRole', {
    metadata: {
      // the upstream name: RBAC object names may contain ':'
      name: 'kubevirt.io:operator',
      labels: { 'kubevirt.io': '', 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
    },
    rules: [rule(['kubevirt.io'], ['kubevirts'], ALL)],
  });
  const subject = serviceAccount(scope, KUBEVIRT_SERVICE_ACCOUNT, ns, labels);
  grant(scope, {
    name: KUBEVIRT_SERVICE_ACCOUNT,
    bindingName: 'kubevirt-operator-rolebinding',
    namespace: ns,
    labels,
    subject,
    rules: [
      rule([''], ['configmaps'], ['create', 'get', 'list', 'watch', 'patch', 'delete']),
      rule([''], ['secrets'], ['create']),
      rule([''], ['secrets'], ['get', 'list', 'watch', 'patch', 'delete'], CERT_SECRETS),
      rule([''], ['secrets'], READ),
      rule(['route.openshift.io'], ['routes'], ['create', 'get', 'list', 'watch', 'patch', 'delete']),
      rule(['route.openshift.io'], ['routes/custom-host'], ['create']),
      rule(['coordination.k8s.io'], ['leases'], CRUD),
      rule(['networking.k8s.io'], ['ingresses'], READ),
    ],
  });
  grant(scope, { name: KUBEVIRT_SERVICE_ACCOUNT, labels, subject, rules: OPERATOR_CLUSTER_RULES });
}

/**
 * Cluster rules of virt-operator: what it needs itself plus what it grants
 * to the components it deploys (RBAC forbids granting more than one holds).
 */
const OPERATOR_CLUSTER_RULES: k8s.PolicyRule[] = [
  rule(['kubevirt.io'], ['kubevirts'], ALL),
  rule(['apiextensions.k8s.io'], ['customresourcedefinitions', 'customresourcedefinitions/status'], CRUD),
  rule(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings'], CRUD),
  rule(['apiregistration.k8s.io'], ['apiservices'], CRUD),
  rule(['rbac.authorization.k8s.io'], ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'], CRUD),
  rule(['apps'], ['deployments', 'daemonsets', 'controllerrevisions'], CRUD),
  rule(['batch'], ['jobs'], CRUD),
  rule(['policy'], ['poddisruptionbudgets'], CRUD),
  rule(['monitoring.coreos.com'], ['servicemonitors', 'prometheusrules'], CRUD),
  rule(['security.openshift.io'], ['securitycontextconstraints'], CRUD),
  rule([''], ['services', 'endpoints', 'pods', 'configmaps', 'secrets', 'serviceaccounts', 'nodes', 'namespaces', 'persistentvolumeclaims', 'events'], CRUD),
  // pod subresources virt-controller uses to drain and track VM pods
  rule([''], ['pods/finalizers'], ['update']),
  rule([''], ['pods/eviction'], ['create']),
  rule([''], ['pods/status'], ['patch']),
  // virt-api watches limit ranges, virt-controller resource quotas
  rule([''], ['limitranges', 'resourcequotas'], ['list', 'watch']),
  rule(['kubevirt.io'], ['*'], ['*']),
  rule(['cdi.kubevirt.io'], ['*'], ['*']),
  rule([
    'snapshot.kubevirt.io', 'export.kubevirt.io', 'backup.kubevirt.io', 'clone.kubevirt.io', 'pool.kubevirt.io',
    'instancetype.kubevirt.io', 'migrations.kubevirt.io', 'plugin.kubevirt.io', 'template.kubevirt.io',
  ], ['*'], ['*']),
  rule(['snapshot.storage.k8s.io'], ['volumesnapshots'], CRUD),
  rule(['snapshot.storage.k8s.io'], ['volumesnapshotclasses'], READ),
  rule(['storage.k8s.io'], ['storageclasses'], READ),
  rule(['resource.k8s.io'], ['resourceslices', 'resourceclaims'], READ),
  rule(['k8s.cni.cncf.io'], ['network-attachment-definitions'], ['get']),
  rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
  rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
  // RBAC matches subresources literally ('virtualmachines/*' would match nothing),
  // so the subresources KubeVirt's aggregated roles grant are listed one by one.
  rule(['subresources.kubevirt.io'], ['version', 'guestfs'], ['get', 'list']),
  rule(['subresources.kubevirt.io'], [
    'virtualmachineinstances/console', 'virtualmachineinstances/vnc', 'virtualmachineinstances/vnc/screenshot',
    'virtualmachineinstances/portforward', 'virtualmachineinstances/guestosinfo', 'virtualmachineinstances/filesystemlist',
    'virtualmachineinstances/userlist', 'virtualmachineinstances/sev/fetchcertchain', 'virtualmachineinstances/sev/querylaunchmeasurement',
    'virtualmachineinstances/usbredir', 'virtualmachineinstances/objectgraph',
    'virtualmachines/expand-spec', 'virtualmachines/portforward', 'virtualmachines/objectgraph',
  ], ['get']),
  rule(['subresources.kubevirt.io'], [
    'virtualmachineinstances/pause', 'virtualmachineinstances/unpause', 'virtualmachineinstances/addvolume',
    'virtualmachineinstances/removevolume', 'virtualmachineinstances/freeze', 'virtualmachineinstances/unfreeze',
    'virtualmachineinstances/softreboot', 'virtualmachineinstances/reset', 'virtualmachineinstances/sev/setupsession',
    'virtualmachineinstances/sev/injectlaunchsecret',
    'virtualmachines/start', 'virtualmachines/stop', 'virtualmachines/restart', 'virtualmachines/addvolume',
    'virtualmachines/removevolume', 'virtualmachines/migrate', 'virtualmachines/memorydump', 'expand-vm-spec',
  ], ['get', 'update']),
  // v1.9's admin and edit roles cancel evacuations, and virt-controller's
  // role takes backups and redefines checkpoints: found by replaying the
  // roles KubeVirt's install strategy generates under the operator's account
  rule(['subresources.kubevirt.io'], [
    'virtualmachineinstances/evacuate/cancel', 'virtualmachines/evacuate/cancel',
    'virtualmachineinstances/backup', 'virtualmachineinstances/redefine-checkpoint',
  ], ['update']),
  urlRule(['/metrics'], ['get']),
];
