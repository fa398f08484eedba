/**
 * The labels and annotations the topology picture reads from the manifests
 * to recognise storage networks, fleets and golden images. Constructs that
 * emit those objects should set them; this leaf file has no imports, so any
 * area can use the same keys. Internal: not exported from the package index.
 */

/** Label on a NetworkAttachmentDefinition that marks the storage network. */
export const NETWORK_ROLE_LABEL = 'kubevirt.cdk8s.io/network-role';
/** Label value of `NETWORK_ROLE_LABEL` for the storage network. */
export const STORAGE_ROLE = 'storage';
/** Label on VirtualMachines naming the fleet they belong to. */
export const FLEET_LABEL = 'kubevirt.cdk8s.io/fleet';
/** Label on a DataVolume naming the golden image it holds. */
export const GOLDEN_IMAGE_LABEL = 'kubevirt.cdk8s.io/golden-image';
/** CDI annotation asking to bind (and so import) a DataVolume at once. */
export const BIND_IMMEDIATE_ANNOTATION = 'cdi.kubevirt.io/storage.bind.immediate.requested';
/** Annotation of a VirtualMachineTemplate: the name of the VM it was made from (drawn beside it in the picture). */
export const TEMPLATE_SOURCE_ANNOTATION = 'kubevirt.cdk8s.io/template-of';
