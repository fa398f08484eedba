/**
 * Upstream's install objects of each platform part, at the versions the
 * library pins: read from the install manifests inside the pinned Go
 * modules (which `go mod download` unpacks; templates filled as upstream's
 * build fills them), or printed by the operators' own generators and
 * renderers (KubeVirt's, CDI's and cluster-network-addons-operator's,
 * through the Go tools under test/cluster).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Json } from './compare';

const ROOT = path.resolve(__dirname, '..', '..');

/** Where a part's upstream objects come from. */
export interface Source {
  /** `module@version` of a Go module and the files in it. */
  readonly module?: string;
  readonly files?: string[];
  /**
   * Values for the files' `${NAME}` placeholders (templates that upstream
   * fills with envsubst before publishing); a placeholder without a value
   * is an error.
   */
  readonly placeholders?: { [name: string]: string };
  /** A Go tool under test/cluster/<goModule>/cmd that prints the objects, one JSON line each. */
  readonly goModule?: string;
  readonly tool?: string;
}

/** One part of the platform and its upstream install. */
export interface Part {
  readonly name: string;
  /** The object whose presence in our output says the part is installed. */
  readonly anchor: { kind: string; name: string };
  readonly sources: Source[];
  /** Upstream objects that are ours under another name: upstream key to our name. */
  readonly renames?: { [key: string]: string };
  /** Whether the namespace of the part is ours to choose (the upstream objects move with it). */
  readonly movable?: boolean;
  /** Why the part has no upstream install to compare with (then `sources` is empty). */
  readonly notCompared?: string;
}

/**
 * A RoleBinding's service account without a namespace is the one in the
 * binding's namespace (how RBAC reads it): say so, as our output does.
 */
function bindingNamespaces(o: Json): Json {
  if (o.kind !== 'RoleBinding') return o;
  for (const s of o.subjects ?? []) if (s.kind === 'ServiceAccount' && !s.namespace) s.namespace = o.metadata.namespace;
  return o;
}

const MULTUS = 'gopkg.in/k8snetworkplumbingwg/multus-cni.v4@v4.3.0';
const WHEREABOUTS = 'github.com/k8snetworkplumbingwg/whereabouts@v0.9.4';
const SNAPSHOT_CLIENT = 'github.com/kubernetes-csi/external-snapshotter/client/v8@v8.6.0';
const SNAPSHOT = 'github.com/kubernetes-csi/external-snapshotter/v8@v8.6.0';
const MNP = 'github.com/k8snetworkplumbingwg/multi-networkpolicy@v1.0.1';
// PlatformVersions.MULTI_NETWORK_POLICY_IPTABLES_COMMIT as a Go pseudo-version
const MNP_IPTABLES = 'github.com/k8snetworkplumbingwg/multi-networkpolicy-iptables@v0.0.0-20251202155857-cbf2b11730b9';
const NMSTATE = 'github.com/nmstate/kubernetes-nmstate@v0.86.0';
const OVS_CNI = 'github.com/k8snetworkplumbingwg/ovs-cni@v0.39.0';

/**
 * The values ovs-cni's hack/build-manifests.sh gives the placeholders of
 * manifests/*.in when the environment sets none (how upstream renders its
 * examples/ovs-cni.yml).
 */
export const OVS_CNI_BUILD_DEFAULTS: { [name: string]: string } = {
  NAMESPACE: 'kube-system',
  OVS_CNI_PLUGIN_IMAGE_REPO: 'quay.io/kubevirt',
  OVS_CNI_PLUGIN_IMAGE_NAME: 'ovs-cni-plugin',
  OVS_CNI_PLUGIN_IMAGE_VERSION: 'latest',
  OVS_CNI_PLUGIN_IMAGE_PULL_POLICY: 'IfNotPresent',
  CNI_MOUNT_PATH: '/opt/cni/bin',
  OVS_CNI_MARKER_HEALTHCHECK_INTERVAL: '60',
};

/** The platform parts, each with where its upstream install comes from. */
export const PARTS: Part[] = [
  {
    name: 'kubevirt',
    anchor: { kind: 'Deployment', name: 'virt-operator' },
    sources: [{ goModule: 'kubevirt', tool: 'kubevirt-operator-install' }],
    movable: true,
  },
  {
    name: 'cdi',
    anchor: { kind: 'Deployment', name: 'cdi-operator' },
    sources: [{ goModule: 'cdi', tool: 'cdi-operator-install' }],
    movable: true,
  },
  {
    name: 'multus',
    anchor: { kind: 'DaemonSet', name: 'kube-multus-ds' },
    sources: [{ module: MULTUS, files: ['deployments/multus-daemonset-thick.yml'] }],
  },
  {
    name: 'whereabouts',
    anchor: { kind: 'DaemonSet', name: 'whereabouts' },
    sources: [{
      module: WHEREABOUTS,
      files: [
        'doc/crds/daemonset-install.yaml',
        'doc/crds/reconciler-deployment.yaml',
        'doc/crds/whereabouts.cni.cncf.io_ippools.yaml',
        'doc/crds/whereabouts.cni.cncf.io_overlappingrangeipreservations.yaml',
        'doc/crds/whereabouts.cni.cncf.io_nodeslicepools.yaml',
      ],
    }],
  },
  {
    name: 'snapshot-controller',
    anchor: { kind: 'Deployment', name: 'snapshot-controller' },
    sources: [
      {
        module: SNAPSHOT_CLIENT,
        files: [
          'config/crd/snapshot.storage.k8s.io_volumesnapshotclasses.yaml',
          'config/crd/snapshot.storage.k8s.io_volumesnapshotcontents.yaml',
          'config/crd/snapshot.storage.k8s.io_volumesnapshots.yaml',
        ],
      },
      {
        module: SNAPSHOT,
        files: ['deploy/kubernetes/snapshot-controller/rbac-snapshot-controller.yaml', 'deploy/kubernetes/snapshot-controller/setup-snapshot-controller.yaml'],
      },
    ],
  },
  {
    name: 'multi-network-policy',
    anchor: { kind: 'DaemonSet', name: 'multi-networkpolicy' },
    sources: [{ module: MNP, files: ['scheme.yml'] }, { module: MNP_IPTABLES, files: ['deploy.yml'] }],
    renames: { 'DaemonSet/kube-system/multi-networkpolicy-ds-amd64': 'multi-networkpolicy' },
  },
  {
    name: 'ovs-cni',
    anchor: { kind: 'DaemonSet', name: 'ovs-cni-amd64' },
    sources: [{ module: OVS_CNI, files: ['manifests/ovs-cni.yml.in'], placeholders: OVS_CNI_BUILD_DEFAULTS }],
  },
  {
    name: 'cni-plugins',
    anchor: { kind: 'DaemonSet', name: 'kube-cni-linux-bridge-plugin' },
    // cluster-network-addons-operator's linux-bridge template (a Go
    // text/template) rendered by the operator's render package with the
    // values the operator passes, in the namespace the part runs in
    sources: [{ goModule: 'cnao', tool: 'cnao-linux-bridge' }],
    movable: true,
  },
  {
    name: 'dhcp-daemon',
    anchor: { kind: 'DaemonSet', name: 'cni-dhcp-daemon' },
    sources: [],
    notCompared: 'containernetworking/plugins publishes no manifest or image for the dhcp daemon, only release archives of the binaries',
  },
  {
    name: 'nmstate',
    anchor: { kind: 'DaemonSet', name: 'nmstate-handler' },
    // The CRDs are plain files; the handler's DaemonSet and RBAC are Go
    // templates that the nmstate operator renders with its own code
    // (nmstate-handler-install).
    sources: [{
      module: NMSTATE,
      files: [
        'deploy/crds/nmstate.io_nodenetworkconfigurationenactments.yaml',
        'deploy/crds/nmstate.io_nodenetworkconfigurationpolicies.yaml',
        'deploy/crds/nmstate.io_nodenetworkstates.yaml',
      ],
    }, { goModule: 'nmstate', tool: 'nmstate-handler-install' }],
    movable: true,
  },
  {
    name: 'velero',
    anchor: { kind: 'Deployment', name: 'velero' },
    // what `velero install` creates, from its own pkg/install (velero-install)
    sources: [{ goModule: 'velero', tool: 'velero-install' }],
    movable: true,
  },
];

let scratch: string | undefined;

/** A module the Go module proxy refuses to serve, and that no module cache holds. */
export class UnservedModuleError extends Error {
  constructor(public readonly spec: string, reason: string) {
    super(`the Go module proxy does not serve ${spec} (${reason.trim().split('\n').pop()})`);
  }
}

/**
 * Unpacks a Go module with `go mod download` and returns its folder. A
 * module the proxy does not serve (multi-networkpolicy-iptables has no
 * releases) is taken from the module cache when a build already unpacked it;
 * otherwise an `UnservedModuleError` says so.
 */
export function moduleDir(spec: string): string {
  scratch ??= fs.mkdtempSync(path.join(os.tmpdir(), 'platform-check-'));
  let info: Json;
  try {
    info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', spec], { cwd: scratch, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (e) {
    info = JSON.parse((e as { stdout?: string }).stdout || '{}');
  }
  if (info.Dir && !info.Error) return info.Dir;
  const cache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf-8' }).trim();
  const unpacked = path.join(cache, spec.replace(/[A-Z]/g, c => `!${c.toLowerCase()}`));
  if (fs.existsSync(path.join(unpacked, 'go.mod'))) return unpacked;
  if (/not available|403|404|410/.test(String(info.Error ?? ''))) throw new UnservedModuleError(spec, String(info.Error));
  throw new Error(`go mod download ${spec}: ${info.Error ?? 'no folder'}`);
}

/** The Go tool's binary: from the cluster tools' build when there, else built now into .tmp. */
function toolBinary(goModule: string, tool: string): string {
  const built = path.join(ROOT, '.cluster', 'bin', tool);
  if (fs.existsSync(built)) return built;
  const bin = path.join(ROOT, '.tmp', 'platform-check', 'bin');
  const target = path.join(bin, tool);
  if (!fs.existsSync(target)) {
    fs.mkdirSync(bin, { recursive: true });
    execFileSync('go', ['build', '-o', `${bin}/`, `./cmd/${tool}`], { cwd: path.join(ROOT, 'test', 'cluster', goModule), stdio: ['ignore', 'inherit', 'inherit'] });
  }
  return target;
}

/**
 * Parses a YAML stream, skipping empty documents. Upstream's files are read
 * as YAML 1.1, as kubectl reads them (`defaultMode: 0744` is octal).
 */
export function parseYaml(text: string, version: '1.1' | '1.2' = '1.2'): Json[] {
  return YAML.parseAllDocuments(text, { version }).map(d => d.toJSON()).filter(d => d && typeof d === 'object' && d.kind);
}

/** Replaces each `${NAME}` of an upstream template with its value, as envsubst does. */
export function fillPlaceholders(text: string, values: { [name: string]: string }, file: string): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`${file}: no value for the placeholder \${${name}}`);
    return v;
  });
}

/** The part of `PARTS` with this name. */
export function partNamed(name: string): Part {
  const part = PARTS.find(p => p.name === name);
  if (!part) throw new Error(`no platform part named ${name}`);
  return part;
}

/** Loads a part's upstream objects; `namespace` moves a movable part's objects. */
export function loadUpstream(part: Part, namespace: string | undefined, skipped: string[] = []): Json[] {
  const objects: Json[] = [];
  for (const s of part.sources) {
    if (s.module) {
      let dir: string;
      try {
        dir = moduleDir(s.module);
      } catch (e) {
        if (!(e instanceof UnservedModuleError)) throw e;
        skipped.push(`${(s.files ?? []).join(', ')} not compared: ${e.message}`);
        continue;
      }
      for (const f of s.files ?? []) {
        const text = fs.readFileSync(path.join(dir, f), 'utf-8');
        objects.push(...parseYaml(s.placeholders ? fillPlaceholders(text, s.placeholders, `${s.module}/${f}`) : text, '1.1'));
      }
    } else if (s.goModule && s.tool) {
      const args = namespace ? [namespace] : [];
      const out = execFileSync(toolBinary(s.goModule, s.tool), args, { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
      objects.push(...out.split('\n').filter(l => l.trim()).map(l => JSON.parse(l)));
    }
  }
  return objects.map(bindingNamespaces);
}
