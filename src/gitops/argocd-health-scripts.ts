/**
 * Argo CD health checks (Lua) for the kinds the library writes that Argo CD
 * v3.2 judges wrong or not at all. Argo CD runs each script with `obj` set to
 * the live object, the Lua base and table libraries only, and reads the
 * returned `{ status, message }` (util/lua/lua.go:75-165 at argo-cd v3.2.12).
 * A multi-wave sync moves on once every object of a wave is `Healthy` and
 * fails on `Degraded`; `Progressing`, `Suspended` and `Unknown` keep it
 * waiting (gitops-engine pkg/sync/sync_context.go:478-491), so every state an
 * object settles in must map to `Healthy`.
 *
 * The states come from the upstream types: kubevirt.io/api v1.9.0,
 * containerized-data-importer-api v1.66.0 with CDI v1.65.0's controllers,
 * kubernetes-nmstate v0.86.0 and velero v1.18.3. The samples under
 * test/gitops/health-samples hold one object per state, each with the status
 * Argo CD must report, and are judged by Argo CD's own code.
 */

/** One health check: the kind it judges and its Lua body. */
export interface ArgoCdHealthScript {
  /** API group of the kind. */
  readonly group: string;
  /** Kind. */
  readonly kind: string;
  /** The Lua script Argo CD runs. */
  readonly lua: string;
}

/**
 * Shared by every script: `hs` starts as Progressing, `condition(t)` finds a
 * status condition by type, `done(s, m)` returns a status, `byPhase(t)`
 * returns the `{ status, message }` that `t` gives `status.phase`
 * (Progressing for a phase it does not name).
 */
const PRELUDE = `local hs = { status = "Progressing", message = "Waiting for the controller to report status" }
local function condition(t)
  if obj.status == nil or obj.status.conditions == nil then return nil end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == t then return c end
  end
  return nil
end
local function isTrue(t)
  local c = condition(t)
  return c ~= nil and c.status == "True"
end
local function done(s, m)
  hs.status = s
  if m ~= nil and m ~= "" then hs.message = m end
  return hs
end
local function byPhase(statuses)
  if obj.status == nil then return hs end
  local phase = obj.status.phase or ""
  local s = statuses[phase]
  if s ~= nil then return done(s[1], s[2] or phase) end
  if phase ~= "" then return done("Progressing", phase) end
  return hs
end
`;

/**
 * VirtualMachine (kubevirt.io/api v1.9.0 core/v1/types.go:2052-2098, the
 * printable statuses). Argo CD's own script reports a VM stopped on purpose
 * as Suspended, which never lets a wave finish; here a VM whose run strategy
 * keeps it stopped (Halted, Manual, or one that ran to its end: Once,
 * RerunOnFailure) is Healthy, and only `Always` waits for the start.
 */
const VIRTUAL_MACHINE = `local spec = obj.spec or {}
local strategy = spec.runStrategy
if strategy == nil and spec.running ~= nil then
  if spec.running then strategy = "Always" else strategy = "Halted" end
end
if strategy == nil then strategy = "Halted" end
if obj.status == nil then return hs end
local printable = obj.status.printableStatus or ""
if isTrue("Failure") then return done("Degraded", condition("Failure").message) end
if isTrue("Paused") or printable == "Paused" then return done("Suspended", "Paused") end
if printable == "Stopped" then
  if strategy == "Always" then return done("Progressing", "Stopped; runStrategy Always starts it") end
  return done("Healthy", "Stopped, as runStrategy " .. strategy .. " keeps it")
end
if printable == "Running" or printable == "Migrating" then
  if isTrue("Ready") then return done("Healthy", printable) end
  return done("Progressing", printable .. ", not ready yet")
end
if printable == "CrashLoopBackOff" or printable == "ErrorUnschedulable" or printable == "ErrImagePull"
  or printable == "ImagePullBackOff" or printable == "ErrorPvcNotFound" or printable == "DataVolumeError" then
  return done("Degraded", printable)
end
if printable == "Unknown" then return done("Unknown", "The VM's state is unknown") end
if printable ~= "" then return done("Progressing", printable) end
if isTrue("Ready") then return done("Healthy", "Ready") end
return hs
`;

/**
 * DataVolume (containerized-data-importer-api v1.66.0
 * core/v1beta1/types.go:360-432). Argo CD's own script keeps a DataVolume on
 * WaitForFirstConsumer storage Progressing forever: the claim binds only
 * when a pod uses it, which is the VM of a later wave. Here
 * WaitForFirstConsumer and PendingPopulation (the populator's form of the
 * same wait) are Healthy, and so is UploadReady, whose data comes from an
 * upload rather than from Git.
 */
const DATA_VOLUME = `local running = condition("Running")
if running ~= nil and running.status == "False" and running.reason == "Error" then
  return done("Degraded", running.message)
end
local firstConsumer = ": the claim binds when its first consumer (the VM) starts"
return byPhase({
  Succeeded = { "Healthy" },
  WaitForFirstConsumer = { "Healthy", "WaitForFirstConsumer" .. firstConsumer },
  PendingPopulation = { "Healthy", "PendingPopulation" .. firstConsumer },
  UploadReady = { "Healthy", "Ready for the image upload" },
  Failed = { "Degraded" },
  Paused = { "Suspended", "Paused between the stages of a multi-stage import" },
  Unknown = { "Unknown", "The DataVolume's state is unknown" },
})
`;

/**
 * The operators' configuration objects: KubeVirt (kubevirt.io/api v1.9.0
 * core/v1/types.go:2706-2748) and CDI (controller-lifecycle-operator-sdk api
 * v0.2.4 types.go:11-32): Healthy once deployed and available.
 */
const OPERATOR_CR = `if obj.status == nil then return hs end
local phase = obj.status.phase or ""
if isTrue("Degraded") then return done("Degraded", condition("Degraded").message) end
if phase == "Error" then return done("Degraded", "Error") end
if phase == "Deployed" and isTrue("Available") and not isTrue("Progressing") then
  return done("Healthy", "Deployed")
end
if phase ~= "" then return done("Progressing", phase) end
return hs
`;

/**
 * DataImportCron (CDI v1.65.0 pkg/controller/dataimportcron-controller.go:
 * 400-520, 1120-1140): Healthy when its newest import is up to date.
 */
const DATA_IMPORT_CRON = `local progressing = condition("Progressing")
if progressing ~= nil and progressing.reason == "Failed" then return done("Degraded", progressing.message) end
if progressing ~= nil and (progressing.reason == "WaitForFirstConsumer" or progressing.reason == "PendingPopulation") then
  return done("Healthy", "The import waits for its first consumer")
end
if isTrue("UpToDate") then return done("Healthy", "Latest import is up to date") end
local upToDate = condition("UpToDate")
if upToDate ~= nil then return done("Progressing", upToDate.message) end
return hs
`;

/**
 * DataSource (CDI v1.65.0 pkg/controller/datasource-controller.go:105-200):
 * Ready when its source is; a source DataVolume that waits for its first
 * consumer does not hold the wave.
 */
const DATA_SOURCE = `local ready = condition("Ready")
if ready == nil then return hs end
if ready.status == "True" then return done("Healthy", ready.message) end
if ready.reason == "WaitForFirstConsumer" or ready.reason == "PendingPopulation" then
  return done("Healthy", "Its DataVolume waits for its first consumer")
end
if ready.reason == "Failed" then return done("Degraded", ready.message) end
return done("Progressing", ready.message)
`;

/**
 * VirtualMachinePool (kubevirt.io/api v1.9.0 pool/v1beta1/types.go:70-103):
 * Healthy when every replica is ready, or every replica exists and the
 * template's run strategy keeps them stopped.
 */
const VM_POOL = `local spec = obj.spec or {}
local want = spec.replicas
if want == nil then want = 1 end
if spec.paused or isTrue("ReplicaPaused") then return done("Suspended", "Paused") end
if isTrue("ReplicaFailure") then return done("Degraded", condition("ReplicaFailure").message) end
if obj.status == nil then return hs end
local have = obj.status.replicas or 0
local ready = obj.status.readyReplicas or 0
if ready >= want then return done("Healthy", ready .. " of " .. want .. " ready") end
local tmpl = spec.virtualMachineTemplate or {}
local vmSpec = tmpl.spec or {}
local strategy = vmSpec.runStrategy
if strategy == nil and vmSpec.running == false then strategy = "Halted" end
if have >= want and strategy ~= nil and strategy ~= "Always" and strategy ~= "RerunOnFailure" then
  return done("Healthy", have .. " VMs, kept stopped by runStrategy " .. strategy)
end
return done("Progressing", ready .. " of " .. want .. " ready")
`;

/** Kinds that have no status: configuration read by others, Healthy once stored. */
const NO_STATUS = `return done("Healthy", "Configuration; it has no status")
`;

/**
 * VirtualMachineSnapshot (kubevirt.io/api v1.9.0
 * snapshot/v1beta1/types.go:100-180).
 */
const VM_SNAPSHOT = `local status = obj.status or {}
if isTrue("Failure") or status.phase == "Failed" then return done("Degraded", (status.error or {}).message or "Failed") end
if status.phase == "Succeeded" and not status.readyToUse then return done("Progressing", "Succeeded, not ready to use yet") end
return byPhase({
  Succeeded = { "Healthy", "Ready to use" },
  Unknown = { "Unknown", "The snapshot's state is unknown" },
})
`;

/** VirtualMachineRestore (kubevirt.io/api v1.9.0 snapshot/v1beta1/types.go:418-435). */
const VM_RESTORE = `if obj.status == nil then return hs end
if isTrue("Failure") then return done("Degraded", condition("Failure").message) end
if obj.status.complete then return done("Healthy", "Restore complete") end
if isTrue("Progressing") then return done("Progressing", condition("Progressing").message) end
return hs
`;

/** VirtualMachineClone (kubevirt.io/api v1.9.0 clone/v1beta1/types.go:130-180). */
const VM_CLONE = `return byPhase({
  Succeeded = { "Healthy" },
  Failed = { "Degraded" },
  Unknown = { "Unknown", "The clone's state is unknown" },
})
`;

/**
 * VirtualMachineExport (kubevirt.io/api v1.9.0 export/v1beta1/types.go:75-84):
 * Ready serves the export; Terminated is its end after the TTL.
 */
const VM_EXPORT = `return byPhase({
  Ready = { "Healthy" },
  Terminated = { "Healthy", "Terminated: the export's time to live ended" },
  Skipped = { "Progressing", "Skipped: the source is in use" },
})
`;

/**
 * NodeNetworkConfigurationPolicy (kubernetes-nmstate v0.86.0
 * pkg/policyconditions/conditions.go:52-165): Available, or Ignored when no
 * node matches (nothing to wait for).
 */
const NNCP = `if isTrue("Degraded") then return done("Degraded", condition("Degraded").message) end
if isTrue("Available") then return done("Healthy", condition("Available").message) end
if isTrue("Ignored") then return done("Healthy", "No node matches its node selector") end
if isTrue("Progressing") then return done("Progressing", condition("Progressing").message) end
return hs
`;

/** Velero Schedule (velero v1.18.3 pkg/apis/velero/v1/schedule_types.go:58-71). */
const VELERO_SCHEDULE = `local errs = (obj.status or {}).validationErrors or {}
return byPhase({
  Enabled = { "Healthy" },
  FailedValidation = { "Degraded", errs[1] },
})
`;

/**
 * Velero BackupStorageLocation (velero v1.18.3
 * pkg/apis/velero/v1/backupstoragelocation_types.go:162-173): Velero checks
 * the bucket and sets Available or Unavailable; backups wait until then.
 */
const VELERO_BACKUP_STORAGE_LOCATION = `local message = (obj.status or {}).message
return byPhase({
  Available = { "Healthy" },
  Unavailable = { "Degraded", message },
})
`;

/**
 * VirtualMachineTemplate (the template.kubevirt.io CRD virt-operator v1.9.0
 * installs, test/upstream-crds/kubevirt/virtualmachinetemplates.template.kubevirt.io.yaml:
 * 132-140, condition Ready: "the template is ready to be processed").
 */
const VM_TEMPLATE = `local ready = condition("Ready")
if ready == nil then return hs end
if ready.status == "True" then return done("Healthy", "Ready to be processed") end
if ready.status == "False" then return done("Degraded", ready.message or ready.reason) end
return done("Progressing", ready.message)
`;

function script(group: string, kind: string, body: string): ArgoCdHealthScript {
  return { group, kind, lua: PRELUDE + body };
}

/**
 * Every health check of the pack, in a fixed order. VirtualMachineInstance
 * (made by KubeVirt, never by the library) and VolumeSnapshot keep Argo CD's
 * own checks, which judge them right.
 */
export const ARGOCD_HEALTH_SCRIPTS: readonly ArgoCdHealthScript[] = [
  script('kubevirt.io', 'VirtualMachine', VIRTUAL_MACHINE),
  script('kubevirt.io', 'KubeVirt', OPERATOR_CR),
  script('cdi.kubevirt.io', 'CDI', OPERATOR_CR),
  script('cdi.kubevirt.io', 'DataVolume', DATA_VOLUME),
  script('cdi.kubevirt.io', 'DataImportCron', DATA_IMPORT_CRON),
  script('cdi.kubevirt.io', 'DataSource', DATA_SOURCE),
  script('pool.kubevirt.io', 'VirtualMachinePool', VM_POOL),
  script('migrations.kubevirt.io', 'MigrationPolicy', NO_STATUS),
  script('instancetype.kubevirt.io', 'VirtualMachineInstancetype', NO_STATUS),
  script('instancetype.kubevirt.io', 'VirtualMachineClusterInstancetype', NO_STATUS),
  script('instancetype.kubevirt.io', 'VirtualMachinePreference', NO_STATUS),
  script('instancetype.kubevirt.io', 'VirtualMachineClusterPreference', NO_STATUS),
  script('snapshot.kubevirt.io', 'VirtualMachineSnapshot', VM_SNAPSHOT),
  script('snapshot.kubevirt.io', 'VirtualMachineRestore', VM_RESTORE),
  script('clone.kubevirt.io', 'VirtualMachineClone', VM_CLONE),
  script('export.kubevirt.io', 'VirtualMachineExport', VM_EXPORT),
  script('nmstate.io', 'NodeNetworkConfigurationPolicy', NNCP),
  script('template.kubevirt.io', 'VirtualMachineTemplate', VM_TEMPLATE),
  script('velero.io', 'Schedule', VELERO_SCHEDULE),
  script('velero.io', 'BackupStorageLocation', VELERO_BACKUP_STORAGE_LOCATION),
];
