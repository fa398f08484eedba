/**
 * A field the cluster writes into an object after it is applied (a mutating
 * admission webhook, or the API server's defaulting) whose value the library
 * cannot know when it synthesizes. GitOps tools are told to ignore it, with
 * the reason.
 */
export interface ClusterWrittenField {
  /** API group of the kind, `''` for the core group. */
  readonly group: string;
  /** Kind, such as `VirtualMachine`. */
  readonly kind: string;
  /** RFC 6901 JSON pointers of the fields, such as `/spec/template/spec/domain/machine`. */
  readonly jsonPointers: readonly string[];
  /** Who writes the field and why the library cannot emit it. */
  readonly reason: string;
}

/**
 * Every field the cluster writes that the library leaves to it. Fields whose
 * value is known at synth time are emitted by the library instead, so they
 * are not listed here: the firmware UUID and serial KubeVirt's VM mutator
 * would draw at random (see compute/vm/firmware-identity.ts).
 *
 * The list is what `npm run check:cluster` measures against: it runs
 * KubeVirt v1.9.0's and CDI's own mutating webhooks on every object and
 * fails on a difference the list does not name
 * (test/cluster/kube/cmd/check-cluster/cluster-written-fields.json holds the
 * same list; a test keeps the two equal).
 *
 * Argo CD: each entry becomes a `resource.customizations.ignoreDifferences`
 * entry of argo-cd's argocd-cm for its group and kind (jsonPointers).
 *
 * Flux: kustomize-controller applies with server-side apply and detects
 * drift by comparing a dry-run apply with the live object. A field a
 * mutating webhook writes during Flux's own apply is recorded under Flux's
 * field manager (the webhook acts inside that request), so it is not
 * "owned by another manager" and Flux does not leave it alone by itself:
 * on a later apply that omits it, server-side apply drops it unless the
 * webhook writes it again on update. KubeVirt's VM mutator writes the
 * architecture and machine type again on every update, but the firmware
 * UUID only on create (vm-mutator.go:86-91), which is one more reason the
 * library emits the UUID itself. The Flux equivalent of ignoreDifferences
 * is a Kustomization's `spec.ignore` (kustomize-controller v1.9.6: rules of
 * `paths`, these JSON pointers, and a `target` group and kind), which the
 * README's Kustomization (examples/gitops/flux.yaml) carries for this list.
 */
export const CLUSTER_WRITTEN_FIELDS: readonly ClusterWrittenField[] = [
  {
    group: 'kubevirt.io',
    kind: 'VirtualMachine',
    jsonPointers: ['/spec/template/spec/architecture'],
    reason: 'KubeVirt\'s VM mutator writes the cluster\'s default architecture (the KubeVirt CR\'s defaultArchitecture, else the architecture virt-api runs on) or the one a DataSource of the VM\'s dataVolumeTemplates is labelled with '
      + '(v1.9.0 pkg/defaults/defaults.go:327-383); the library does not know the nodes\' architecture and must not pin one',
  },
  {
    group: 'kubevirt.io',
    kind: 'VirtualMachine',
    jsonPointers: ['/spec/template/spec/domain/machine/type'],
    reason: 'KubeVirt\'s VM mutator writes the cluster\'s default machine type for the VM\'s architecture (the KubeVirt CR\'s machineType or architectureConfiguration, pkg/defaults/defaults.go:46-63, pkg/virt-config/virt-config.go:199-213) when the VM names none; '
      + 'it depends on the architecture, which is the cluster\'s (a VM with machineType set keeps its own)',
  },
  {
    group: 'kubevirt.io',
    kind: 'VirtualMachine',
    jsonPointers: ['/spec/template/metadata/annotations/kubevirt.io~1pci-topology-version'],
    reason: 'KubeVirt\'s VM mutator marks a new VM\'s template with PCI topology v3 when its architecture and machine type support PCIe hotplug '
      + '(vm-mutator.go:98-102, pkg/defaults/defaults.go:385-397): both are the cluster\'s (above), so whether it is written is too',
  },
  {
    group: 'cdi.kubevirt.io',
    kind: 'DataVolume',
    jsonPointers: ['/metadata/annotations/cdi.kubevirt.io~1storage.clone.token'],
    reason: 'CDI\'s DataVolume mutator writes a clone token on a cloning DataVolume\'s creation: a JWT signed by the cluster\'s CDI key that expires five minutes later '
      + '(v1.65.0 pkg/apiserver/webhooks/datavolume-mutate.go:142, handler.go:99-101)',
  },
];
