import { ImagePullPolicy } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ImageOverride } from './image-override';
import { PlatformPartProps } from './platform-part-props';
import { resolveImage } from './private/image';
import { pullPolicy } from './private/objects';
import { requirePartShape, finishPart, SHARED } from './private/part';
import { hostPathVolume, nodeDaemonSet, resources } from './private/workloads';
import { DefaultImages } from './versions';
import { cniKey, NodeNeedsRegistry } from '../private/node-needs';
import { propError, propPath, Shape } from '../validation';

/** Settings of the `CniPlugins` construct. */
export interface CniPluginsProps extends PlatformPartProps {
  /**
   * Where the plugin binaries come from: an image holding them in
   * `sourceDirectory`, with a shell and coreutils. The default carries only
   * `bridge` and `tuning`; for `macvlan`, `host-local`, `static` and the
   * rest, give an image built from containernetworking/plugins
   * (`PlatformVersions.CNI_PLUGINS`) and list them in `plugins`.
   * @default - `DefaultImages.CNI_DEFAULT_PLUGINS`
   */
  readonly image?: ImageOverride;

  /**
   * The plugin binaries the image carries and the DaemonSet installs.
   * @default ['bridge', 'tuning'] - what the default image carries
   */
  readonly plugins?: string[];

  /**
   * Directory of the binaries inside the image.
   * @default '/usr/src/github.com/containernetworking/plugins/bin'
   */
  readonly sourceDirectory?: string;

  /**
   * Pull policy of the DaemonSet's container.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;
}

const NAME = 'kube-cni-linux-bridge-plugin';
const NAMESPACE = 'kube-system';
const DEFAULT_PLUGINS = ['bridge', 'tuning'];
const SOURCE = '/usr/src/github.com/containernetworking/plugins/bin';
const HOST_BIN = '/opt/cni/bin';
const BINARY = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Resolves an image whose default is pinned by digest: an override that
 * names neither tag nor digest (a mirror) keeps the default digest.
 */
function resolveDigestPinned(scope: Construct, defaultReference: string, override: ImageOverride | undefined): string {
  const at = defaultReference.indexOf('@');
  const digest = override?.tag === undefined && override?.digest === undefined ? defaultReference.slice(at + 1) : override?.digest;
  return resolveImage(scope, 'image', `${defaultReference.slice(0, at)}:pinned`, { ...override, digest }).reference;
}

/**
 * Puts CNI plugin binaries (by default the reference `bridge` and `tuning`
 * plugins) into every node's `/opt/cni/bin`, the way
 * cluster-network-addons-operator's `linuxBridge` component does: a
 * privileged DaemonSet in `kube-system` copies each binary as
 * `cnv-<name>`, checks it against the image's `<name>.checksum` when there
 * is one, links `<name>` to it, and then sleeps. A node that already has
 * its own `<name>` (a regular file, e.g. from kubeadm's kubernetes-cni)
 * keeps it.
 *
 * `ApiObject.of(cniPlugins)` is the DaemonSet.
 */
export class CniPlugins extends Construct {
  /** Namespace the DaemonSet runs in (`kube-system`). */
  public readonly namespace: string = NAMESPACE;
  /** The resolved image. */
  public readonly image: string;
  /** The plugin binaries installed. */
  public readonly plugins: string[];

  public constructor(scope: Construct, id: string, props: CniPluginsProps = {}) {
    super(scope, id);
    requirePartShape(this, props, {
      image: SHARED, plugins: Shape.optArray(Shape.string), sourceDirectory: Shape.optString, imagePullPolicy: SHARED,
    });
    this.image = resolveDigestPinned(this, DefaultImages.CNI_DEFAULT_PLUGINS, props.image);
    const plugins = props.plugins ?? DEFAULT_PLUGINS;
    if (plugins.length === 0) {
      throw propError(this, 'plugins', plugins, 'must name at least one plugin binary', 'list the binaries the image carries, e.g. [\'bridge\', \'tuning\'], or leave plugins out');
    }
    plugins.forEach((p, i) => {
      if (!BINARY.test(p)) {
        throw propError(this, propPath('plugins', i), p, 'must be a plugin binary name (letters, digits, \'.\', \'_\' and \'-\')', 'give the plugin type as written in network configs, e.g. \'macvlan\'');
      }
    });
    if (new Set(plugins).size !== plugins.length) {
      throw propError(this, 'plugins', plugins, 'lists a plugin twice', 'list each binary once');
    }
    this.plugins = [...plugins];
    const source = props.sourceDirectory ?? SOURCE;
    if (!source.startsWith('/') || /\s|'|"|\$|`/.test(source)) {
      throw propError(this, 'sourceDirectory', source, 'must be an absolute path without spaces, quotes or \'$\'', `give the directory of the binaries in the image, e.g. '${SOURCE}'`);
    }
    const registry = NodeNeedsRegistry.of(this);
    for (const p of this.plugins) registry.provide(cniKey(p), this.node.path);

    nodeDaemonSet(this, {
      name: NAME,
      namespace: NAMESPACE,
      labels: { tier: 'node', app: 'cni-linux-bridge-plugin' },
      selector: { name: NAME },
      tenthAtOnce: true,
      podLabels: { name: NAME, tier: 'node', app: 'cni-plugins' },
      podAnnotations: { description: `Installs the CNI plugins ${this.plugins.join(', ')} into ${HOST_BIN} on every node` },
      pod: {
        priorityClassName: 'system-cluster-critical',
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ operator: 'Exists' }],
        containers: [{
          name: 'cni-plugins',
          image: this.image,
          imagePullPolicy: pullPolicy(props.imagePullPolicy),
          command: ['/bin/bash', '-ce', installScript(source, this.plugins)],
          resources: resources('10m', '15Mi'),
          securityContext: { privileged: true, readOnlyRootFilesystem: true },
          volumeMounts: [{ name: 'cnibin', mountPath: HOST_BIN }, { name: 'tmp', mountPath: '/tmp' }],
          terminationMessagePolicy: 'FallbackToLogsOnError',
        }],
        volumes: [hostPathVolume('cnibin', HOST_BIN), { name: 'tmp', emptyDir: {} }],
      },
    });
    finishPart(this, props);
  }
}

/** The container's script: install each binary, then stay up so the DaemonSet stays ready. */
function installScript(source: string, plugins: string[]): string {
  return [
    `src=${source}`,
    `dst=${HOST_BIN}`,
    `for p in ${plugins.join(' ')}; do`,
    '  if [ -f "$dst/$p" ] && [ ! -L "$dst/$p" ]; then echo "$p: the node has its own, kept"; continue; fi',
    '  cp --remove-destination "$src/$p" "$dst/cnv-$p"',
    '  if [ -f "$src/$p.checksum" ]; then printf \'%s  %s\\n\' "$(cut -d\' \' -f1 < "$src/$p.checksum")" "$dst/cnv-$p" | sha256sum --check; fi',
    '  ln -sf "$dst/cnv-$p" "$dst/$p"',
    '  echo "$p: installed"',
    'done',
    'sleep infinity',
    '',
  ].join('\n');
}
