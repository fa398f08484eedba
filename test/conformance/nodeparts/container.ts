/**
 * Runs a container of a synthesized pod the way a node would, without a
 * container runtime: a mount namespace whose root holds the image's files at
 * their image paths (and the host's /usr for the shell and coreutils the
 * images bring, below the image's own files there), the pod's hostPath
 * volumes bind-mounted from a stand-in host root, emptyDirs as fresh directories, a read-only root when the
 * container asks for one, and then the container's command exactly as
 * synthesized. ConfigMap volumes hold the given ConfigMaps' data, the service
 * account's files appear where the kubelet projects them, and env values from
 * field references take the given pod fields. The network namespace is the
 * host's (the node parts use the host network); the PID namespace is the
 * host's only when the pod asks for hostPID, as the kubelet does.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Builds Go packages from a module at a pinned version into `outDir` (cached). */
export function goBuild(module: string, version: string, packages: string[], outDir: string, tags: string[] = []): void {
  if (packages.every(p => fs.existsSync(path.join(outDir, path.basename(p))))) return;
  fs.mkdirSync(outDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-go-'));
  const run = (args: string[]) => {
    const r = spawnSync('go', args, { cwd: work, encoding: 'utf-8', env: { ...process.env, CGO_ENABLED: '0' } });
    if (r.status !== 0) throw new Error(`go ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
  };
  run(['mod', 'init', 'nodeparts.build']);
  run(['get', ...packages.map(p => `${module}/${p}@${version}`)]);
  run(['build', ...(tags.length > 0 ? ['-tags', tags.join(',')] : []), '-o', `${outDir}/`, ...packages.map(p => `${module}/${p}`)]);
  fs.rmSync(work, { recursive: true, force: true });
}

/** The pod spec of a synthesized DaemonSet. */
export function daemonSetPod(docs: any[], name: string): any {
  const ds = docs.find(d => d.kind === 'DaemonSet' && d.metadata.name === name);
  if (!ds) throw new Error(`no DaemonSet ${name}`);
  return ds.spec.template.spec;
}

/** What a container run needs. */
export interface ContainerRun {
  /** The pod spec (volumes) and the container (command, args, volumeMounts, securityContext). */
  readonly pod: any;
  readonly container: any;
  /** Files of the image: image path → file on this machine. */
  readonly imageFiles: Record<string, string>;
  /** The stand-in host root that hostPath volumes come from. */
  readonly hostRoot: string;
  /** ConfigMaps that configMap volumes name: name → data. */
  readonly configMaps?: Record<string, Record<string, string>>;
  /** The service account's token, CA and namespace, projected at /var/run/secrets/kubernetes.io/serviceaccount. */
  readonly serviceAccount?: { readonly token: string; readonly caCert: string; readonly namespace: string };
  /** Pod fields that env `fieldRef`s read, e.g. `{ 'spec.nodeName': 'node-a' }`. */
  readonly fields?: Record<string, string>;
  /** Env the kubelet adds (KUBERNETES_SERVICE_HOST and _PORT). */
  readonly kubeletEnv?: Record<string, string>;
}

/** A started container: its process, its output so far, and its root. */
export interface Started {
  readonly child: ChildProcess;
  readonly root: string;
  readonly pidFile: string;
  output(): string;
  exited(): Promise<number | null>;
}

// the host's /etc/alternatives too: Debian's /usr/bin/awk and others link through it
const HOST_DIRS = ['usr/bin', 'usr/sbin', 'usr/lib', 'usr/lib64', 'usr/libexec', 'usr/share', 'etc/alternatives'];

/** The shell script that builds the namespace's mounts and execs the container's command. */
function setupScript(run: ContainerRun, root: string, pidFile: string): string {
  const q = (s: string) => `'${s.replace(/'/g, '\'\\\'\'')}'`;
  // the shell's pid as the host sees it (the host's /proc is still mounted), for nsenter
  const lines = ['set -e', 'read -r hostpid _ < /proc/self/stat', `echo "$hostpid" > ${q(pidFile)}`, `mount --bind ${q(root)} ${q(root)}`];
  for (const d of HOST_DIRS) {
    if (!fs.existsSync(`/${d}`)) continue;
    const dir = `${root}/${d}`;
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      // the image's own files there (e.g. /usr/bin/<binary>) above the host's, read-only
      lines.push(`mount -t overlay overlay -o ${q(`lowerdir=${dir}:/${d}`)} ${q(dir)}`);
    } else {
      lines.push(`mkdir -p ${q(dir)}`, `mount --bind -o ro /${d} ${q(dir)}`);
    }
  }
  lines.push(`mkdir -p ${q(`${root}/proc`)} ${q(`${root}/dev`)}`, `mount --rbind /dev ${q(`${root}/dev`)}`);
  // a pod of its own PID namespace sees only its processes
  lines.push(run.pod.hostPID ? `mount --rbind /proc ${q(`${root}/proc`)}` : `mount -t proc proc ${q(`${root}/proc`)}`);
  if (run.serviceAccount) {
    const sa = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-sa-'));
    fs.writeFileSync(path.join(sa, 'token'), run.serviceAccount.token);
    fs.writeFileSync(path.join(sa, 'ca.crt'), run.serviceAccount.caCert);
    fs.writeFileSync(path.join(sa, 'namespace'), run.serviceAccount.namespace);
    const target = `${root}/var/run/secrets/kubernetes.io/serviceaccount`;
    lines.push(`mkdir -p ${q(target)}`, `mount --bind -o ro ${q(sa)} ${q(target)}`);
  }
  const volumes = new Map<string, any>((run.pod.volumes ?? []).map((v: any) => [v.name, v]));
  for (const m of run.container.volumeMounts ?? []) {
    const v = volumes.get(m.name);
    if (!v) throw new Error(`volumeMount ${m.name} has no volume`);
    let source: string;
    if (v.hostPath) {
      source = path.join(run.hostRoot, v.hostPath.path);
      fs.mkdirSync(source, { recursive: true });
    } else if (v.emptyDir) {
      source = fs.mkdtempSync(path.join(os.tmpdir(), `nodeparts-${m.name}-`));
    } else if (v.configMap) {
      const data = run.configMaps?.[v.configMap.name];
      if (!data) throw new Error(`volume ${m.name} names ConfigMap ${v.configMap.name}, which the run was not given`);
      source = fs.mkdtempSync(path.join(os.tmpdir(), `nodeparts-${m.name}-`));
      const items: Array<{ key: string; path: string }> = v.configMap.items ?? Object.keys(data).map(key => ({ key, path: key }));
      for (const item of items) {
        if (data[item.key] === undefined) throw new Error(`ConfigMap ${v.configMap.name} has no key ${item.key}`);
        fs.mkdirSync(path.dirname(path.join(source, item.path)), { recursive: true });
        fs.writeFileSync(path.join(source, item.path), data[item.key]);
      }
    } else {
      throw new Error(`volume ${m.name} is neither hostPath, emptyDir nor configMap`);
    }
    const target = `${root}${m.mountPath}`;
    // runc binds volumes recursively; HostToContainer makes later host mounts show up inside
    lines.push(`mkdir -p ${q(target)}`, `mount --rbind ${q(source)} ${q(target)}`);
    if (m.mountPropagation === 'HostToContainer') lines.push(`mount --make-rslave ${q(target)}`);
    if (m.readOnly) lines.push(`mount -o remount,bind,ro ${q(target)}`);
  }
  if (run.container.securityContext?.readOnlyRootFilesystem) lines.push(`mount -o remount,bind,ro ${q(root)}`);
  const argv = [...(run.container.command ?? []), ...(run.container.args ?? [])];
  const env = Object.entries(run.kubeletEnv ?? {}).map(([k, v]) => `${k}=${q(v)}`);
  for (const e of run.container.env ?? []) {
    const field = e.valueFrom?.fieldRef?.fieldPath;
    if (typeof e.value === 'string') env.push(`${e.name}=${q(e.value)}`);
    else if (field !== undefined && run.fields?.[field] !== undefined) env.push(`${e.name}=${q(run.fields[field])}`);
  }
  lines.push(`exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin ${env.join(' ')} chroot ${q(root)} ${argv.map(q).join(' ')}`);
  return lines.join('\n');
}

/** Starts the container in a new mount namespace. */
export function startContainer(run: ContainerRun): Started {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-root-'));
  for (const link of ['bin', 'sbin', 'lib', 'lib64']) {
    fs.mkdirSync(path.join(root, 'usr', link), { recursive: true });
    fs.symlinkSync(`usr/${link}`, path.join(root, link));
  }
  fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
  fs.mkdirSync(path.join(root, 'run'), { recursive: true });
  fs.mkdirSync(path.join(root, 'var'), { recursive: true });
  fs.symlinkSync('../run', path.join(root, 'var', 'run'));
  // the root user every base image lists (Go's os/user reads it when built without cgo)
  fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  fs.writeFileSync(path.join(root, 'etc', 'group'), 'root:x:0:\n');
  for (const [imagePath, file] of Object.entries(run.imageFiles)) {
    fs.mkdirSync(path.dirname(path.join(root, imagePath)), { recursive: true });
    fs.copyFileSync(file, path.join(root, imagePath));
    fs.chmodSync(path.join(root, imagePath), fs.statSync(file).mode);
  }
  const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-pid-')), 'pid');
  const pid = run.pod.hostPID ? [] : ['--pid'];
  const child = spawn('unshare', ['--mount', ...pid, '--propagation', 'private', '--fork', '--kill-child', 'bash', '-c', setupScript(run, root, pidFile)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', d => { out += String(d); });
  child.stderr!.on('data', d => { out += String(d); });
  const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
  return { child, root, pidFile, output: () => out, exited: () => exit };
}

/** Runs a container to its end (or `timeoutMs`); returns its exit code (null when stopped) and output. */
export async function runToEnd(run: ContainerRun, timeoutMs = 60000): Promise<{ code: number | null; output: string }> {
  const c = startContainer(run);
  const timer = setTimeout(() => c.child.kill('SIGKILL'), timeoutMs);
  const code = await c.exited();
  clearTimeout(timer);
  return { code, output: c.output() };
}

/** Waits until `check()` holds or the time is up. */
export async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise(r => setTimeout(r, 100));
  }
  return check();
}

/** Runs a probe's exec command inside a started container's namespace and root. */
export function execProbe(started: Started, command: string[]): number | null {
  const pid = fs.readFileSync(started.pidFile, 'utf-8').trim();
  return spawnSync('nsenter', ['--mount', '--target', pid, 'chroot', started.root, ...command], { encoding: 'utf-8' }).status;
}

/** Stops a started container. */
export async function stop(started: Started): Promise<void> {
  if (started.child.exitCode === null) started.child.kill('SIGTERM');
  const timer = setTimeout(() => started.child.kill('SIGKILL'), 5000);
  await started.exited();
  clearTimeout(timer);
}
