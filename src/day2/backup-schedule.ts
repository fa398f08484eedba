import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BackupScheduleProps } from './backup-schedule-options';
import { IVirtualMachine } from '../compute';
import { Velero } from '../platform';
import { goDurationString } from '../private/go-duration';
import { checkCronSchedule, DNS1123_LABEL_MAX, propError, requireDns1123Label, requireShape, Shape } from '../validation';

const BACKUP_LABEL_PREFIX = 'backup.kubevirt.cdk8s.io';

/** One number and unit of a Go duration, and the length of each unit in seconds. */
const GO_DURATION_PART = /(\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/g;
const GO_DURATION = /^((\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+$/;
const UNIT_SECONDS: { [unit: string]: number } = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/**
 * A Velero `Schedule` (velero.io/v1) that backs up the given VMs and what
 * they need, on a cron schedule, with CSI volume snapshots.
 *
 * Selection: the schedule's `labelSelector` matches one label,
 * `backup.kubevirt.cdk8s.io/<name>: "true"`, that this construct adds to
 * each of its VMs and to nothing else, and `includedNamespaces` lists the
 * VMs' namespaces. Velero lists only the labelled VMs; for each, the KubeVirt
 * Velero plugin returns the related objects (DataVolumes, PVCs, the Secrets
 * of cloud-init and SSH keys, ConfigMaps and service accounts used as
 * volumes, the instancetype revisions, the VMI and launcher pod of a running
 * VM) as additional items, which Velero backs up without applying the label
 * selector (only the namespace and resource filters). `includedResources` is
 * left out: the plugin refuses to back up a running VM when the resource
 * filter leaves out its VMI, pods or volumes.
 *
 * Upstream, at the pinned releases: the plugin's graph of a VM in
 * kubevirt-velero-plugin v0.9.0 pkg/util/kvgraph/backup_graph.go:62-89 and
 * pkg/util/kvgraph/util.go:59-124, its refusal in
 * pkg/plugin/vm_backup_item_action.go:132-159 with pkg/util/util.go:99-147;
 * Velero v1.18.3 backs additional items up checking only the namespace and
 * resource filters (pkg/backup/item_backupper.go:112-145 and 501-548) and
 * parses `schedule` with robfig/cron's ParseStandard
 * (pkg/controller/schedule_controller.go:199). On restore the plugin skips
 * the launcher pod and a VMI owned by its VM and restores the VM's
 * DataVolumes with it (pkg/plugin/pod_restore_item_action.go,
 * vmi_restore_item_action.go:78-81, vm_restore_item_action.go:90).
 *
 * `ApiObject.of(schedule)` is the Schedule.
 */
export class BackupSchedule extends Construct {
  /** Prefix of the label a schedule puts on the VMs it selects; the label's name is the schedule's name. */
  public static readonly LABEL_PREFIX = BACKUP_LABEL_PREFIX;

  /** Name of the Schedule. */
  public readonly name: string;
  /** Namespace of the Schedule (Velero's). */
  public readonly namespace: string;
  /** The label key the schedule selects, set to `"true"` on each of its VMs. */
  public readonly selectorLabel: string;
  /** The retention written to the schedule's backups, as Velero writes it. */
  public readonly ttl: string;

  public constructor(scope: Construct, id: string, props: BackupScheduleProps) {
    super(scope, id);
    const vmRef = Shape.ref('IVirtualMachine', ['name', 'namespace'], 'pass VirtualMachine constructs of this app');
    requireShape(this, 'props', props, {
      vms: Shape.array(vmRef),
      schedule: Shape.string,
      name: Shape.optString,
      namespace: Shape.optString,
      storageLocation: Shape.optString,
      snapshotMoveData: Shape.optBoolean,
      paused: Shape.optBoolean,
    });
    this.name = props.name ?? id;
    requireDns1123Label(this, 'name', this.name, DNS1123_LABEL_MAX,
      props.name === undefined ? 'set \'name\', since the construct id is not a DNS-1123 label' : undefined);
    this.namespace = props.namespace ?? 'velero';
    requireDns1123Label(this, 'namespace', this.namespace);
    if (props.storageLocation !== undefined) requireDns1123Label(this, 'storageLocation', props.storageLocation, 253);
    const cron = checkCronSchedule(props.schedule);
    if (cron) {
      throw propError(this, 'schedule', props.schedule, cron, 'use a cron schedule such as \'0 2 * * *\' (02:00 daily), \'@daily\' or \'@every 6h\'');
    }
    this.ttl = renderTtl(this, props.ttl);
    if (props.vms.length === 0) {
      throw propError(this, 'vms', props.vms, 'must name at least one VM', 'pass the VirtualMachine constructs to back up');
    }
    this.selectorLabel = `${BACKUP_LABEL_PREFIX}/${this.name}`;

    const seen = new Set<string>();
    const namespaces = new Set<string>();
    props.vms.forEach((vm, i) => {
      const key = `${vm.namespace}/${vm.name}`;
      if (seen.has(key)) {
        throw propError(this, `vms[${i}]`, key, 'names a VM already in the list', 'list each VM once');
      }
      seen.add(key);
      namespaces.add(vm.namespace);
      vmObject(this, `vms[${i}]`, vm).metadata.addLabel(this.selectorLabel, 'true');
    });

    const template: { [key: string]: any } = {
      includedNamespaces: [...namespaces].sort(),
      labelSelector: { matchLabels: { [this.selectorLabel]: 'true' } },
      // CSI snapshots, the backup method the KubeVirt Velero plugin v0.9 is
      // tested with (its README, "Backup Methods"); file system backup is
      // not, and cannot read block-mode volumes.
      snapshotVolumes: true,
      defaultVolumesToFsBackup: false,
      ...(props.snapshotMoveData ? { snapshotMoveData: true } : {}),
      ...(props.storageLocation ? { storageLocation: props.storageLocation } : {}),
      ttl: this.ttl,
    };
    this.node.addValidation({ validate: () => veleroProblemsOf(this, props) });
    new ApiObject(this, 'Resource', {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        schedule: props.schedule,
        ...(props.paused ? { paused: true } : {}),
        template,
      },
    });
  }
}

/** Checks the schedule against the Velero part of this app, when there is one. */
function veleroProblemsOf(schedule: BackupSchedule, props: BackupScheduleProps): string[] {
  const parts = schedule.node.root.node.findAll().filter((c): c is Velero => c instanceof Velero);
  if (parts.length === 0) return [];
  const velero = parts.find(v => v.namespace === schedule.namespace);
  if (!velero) {
    const where = parts.map(v => `'${v.namespace}'`).join(', ');
    return [`'namespace' is '${schedule.namespace}', but the Velero of this app runs in ${where}, so no Velero would run the schedule; set 'namespace' to ${where}`];
  }
  if (props.snapshotMoveData && !velero.nodeAgent) {
    return ['\'snapshotMoveData\' is true, but the Velero of this app runs no node agent, which moves the snapshot data; set \'nodeAgent: true\' on the Velero part, or leave snapshotMoveData out'];
  }
  return [];
}

/** The VirtualMachine object of a VM construct of this app; refuses a VM imported by name. */
function vmObject(scope: Construct, prop: string, vm: IVirtualMachine): ApiObject {
  const own = vm.node.findAll().find(c => c instanceof ApiObject && c.kind === 'VirtualMachine' && c.apiVersion === 'kubevirt.io/v1'
    && c.name === vm.name) as ApiObject | undefined;
  if (!own) {
    throw propError(scope, prop, `${vm.namespace}/${vm.name}`, 'is a VM this app does not define (imported by name), so the schedule cannot label it to select it',
      'pass a VirtualMachine defined in this app, or back the existing VM up with its own Velero Schedule');
  }
  return own;
}

/** Velero's `ttl` (a Go duration string) from a Duration or a Go duration string. */
function renderTtl(scope: Construct, ttl: unknown): string {
  const fix = 'give a Duration such as Duration.days(30) or a Go duration such as \'720h\'';
  if (ttl instanceof Duration) {
    const seconds = ttl.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds <= 0) {
      throw propError(scope, 'ttl', ttl.toHumanString(), `is ${seconds} seconds: must be a whole number of seconds above zero`, fix);
    }
    return goDurationString(seconds);
  }
  if (typeof ttl !== 'string') {
    throw propError(scope, 'ttl', ttl, 'must be a Duration or a Go duration string', fix);
  }
  if (!GO_DURATION.test(ttl)) {
    throw propError(scope, 'ttl', ttl, 'is not a Go duration (numbers with units h, m, s, ms, us, ns, no sign)', fix);
  }
  let seconds = 0;
  for (const m of ttl.matchAll(GO_DURATION_PART)) seconds += Number(m[1]) * UNIT_SECONDS[m[2]];
  if (seconds < 1) throw propError(scope, 'ttl', ttl, 'is shorter than one second', fix);
  return ttl;
}
