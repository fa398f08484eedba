/**
 * The rules of a VM template, gathered in one place. Internal: not exported
 * from the package. VirtualMachine, IsolatedVm, SmartCloneFleet and the VM
 * spec builder take their rules from here; each family lives beside the
 * concept it checks, so that the options, their rules and their rendering
 * stay together:
 *
 * - `option-types.ts`: runtime shapes of the template options and of each
 *   interface, checked before any other rule.
 * - `vm-options.ts`: eager value rules of the VM-level options (metadata,
 *   instancetype conflicts, SSH keys, cloud-init), of interfaces and MAC
 *   addresses, and the volumes a live migration needs.
 * - `platform.ts`: rules against the app's KubeVirt CR (feature gates, the
 *   inherited eviction strategy).
 * - `pod-selectors.ts`: spread constraints and affinity that must select the
 *   VMs' own pods.
 * - `ip-persistence.ts`: warnings about addresses lost on live migration.
 * - `../../performance/rules.ts`: shapes and eager rules of the compute,
 *   performance and device options (run last by `requireVirtualMachineOptions`);
 *   `../../performance/platform-rules.ts`: their synth-time rules against
 *   the KubeVirt CR (gates, permitted devices, probes, device migration).
 * - `../../disks/disk-rules.ts`: data disks and filesystems (names, buses,
 *   the KubeVirt gates they need).
 * - `../secrets/cloud-init-rules.ts` and `CloudInit._validate`: cloud-init
 *   data; `../secrets/network-data.ts`: addresses planned by an AddressPlan.
 * - `../../fleet/fleet-disks.ts`: what a fleet adds for data disks shared
 *   by N VMs (a fleet-only family, so it stays with the fleet).
 */
export { requireInterfaceShape, requireTemplateShapes, RESERVED_VMI_LABELS } from './option-types';
export { allowsPodBridgeMigration, requireInterfaceFits, requireVirtualMachineOptions, volumeMigrationProblems } from './vm-options';
export { effectiveEvictionStrategy, kubeVirtConfigProblems } from './platform';
export { affinitySelectorProblems, spreadSelectorProblems } from './pod-selectors';
export { migratingWhereaboutsWarnings } from './ip-persistence';
export { requireNicSettings, requireReferenceNamespaces } from '../../performance/rules';
export { computePlatformProblems, deviceMigrationProblems, probeProblems } from '../../performance/platform-rules';
export { requireDisk, requireFilesystem, requireTemplateDiskName, diskGateProblems } from '../../disks/disk-rules';
