/**
 * Runs a container of a synthesized pod the way a node would, without a
 * container runtime: a mount namespace whose root holds the image's files at
 * their image paths (and the host's /usr for the shell and coreutils the
 * images bring), the pod's hostPath volumes bind-mounted from a stand-in
 * host root, emptyDirs as fresh directories, a read-only root when the
 * container asks for one, and then the container's command exactly as
 * synthesized. Network and PID namespaces are the host's, as for pods on
 * the host network and PID namespace.
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

/** What a container run needs. */
export interface ContainerRun {
  /** The pod spec (volumes) and the container (command, args, volumeMounts, securityContext). */
  readonly pod: any;
  readonly container: any;
  /** Files of the image: image path → file on this machine. */
  readonly imageFiles: Record<string, string>;
  /** The stand-in host root that hostPath volumes come from. */
  readonly hostRoot: string;
}

/** A started container: its process, its output so far, and its root. */
export interface Started {
  readonly child: ChildProcess;
  readonly root: string;
  readonly pidFile: string;
  output(): string;
  exited(): Promise<number | null>;
}

const HOST_DIRS = ['usr/bin', 'usr/sbin', 'usr/lib', 'usr/lib64', 'usr/libexec', 'usr/share'];

/** The shell script that builds the namespace's mounts and execs the container's command. */
function setupScript(run: ContainerRun, root: string, pidFile: string): string {
  const q = (s: string) => `'${s.replace(/'/g, '\'\\\'\'')}'`;
  const lines = ['set -e', `echo $$ > ${q(pidFile)}`, `mount --bind ${q(root)} ${q(root)}`];
  for (const d of HOST_DIRS) {
    if (!fs.existsSync(`/${d}`)) continue;
    lines.push(`mkdir -p ${q(`${root}/${d}`)}`, `mount --bind -o ro /${d} ${q(`${root}/${d}`)}`);
  }
  lines.push(`mkdir -p ${q(`${root}/proc`)} ${q(`${root}/dev`)}`, `mount --rbind /proc ${q(`${root}/proc`)}`, `mount --rbind /dev ${q(`${root}/dev`)}`);
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
    } else {
      throw new Error(`volume ${m.name} is neither hostPath nor emptyDir`);
    }
    const target = `${root}${m.mountPath}`;
    // runc binds volumes recursively; HostToContainer makes later host mounts show up inside
    lines.push(`mkdir -p ${q(target)}`, `mount --rbind ${q(source)} ${q(target)}`);
    if (m.mountPropagation === 'HostToContainer') lines.push(`mount --make-rslave ${q(target)}`);
    if (m.readOnly) lines.push(`mount -o remount,bind,ro ${q(target)}`);
  }
  if (run.container.securityContext?.readOnlyRootFilesystem) lines.push(`mount -o remount,bind,ro ${q(root)}`);
  const argv = [...(run.container.command ?? []), ...(run.container.args ?? [])];
  const env = (run.container.env ?? []).filter((e: any) => typeof e.value === 'string').map((e: any) => `${e.name}=${q(e.value)}`);
  lines.push(`exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin ${env.join(' ')} chroot ${q(root)} ${argv.map(q).join(' ')}`);
  return lines.join('\n');
}

/** Starts the container in a new mount namespace. */
export function startContainer(run: ContainerRun): Started {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-root-'));
  for (const link of ['bin', 'sbin', 'lib', 'lib64']) fs.symlinkSync(`usr/${link}`, path.join(root, link));
  fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
  fs.mkdirSync(path.join(root, 'run'), { recursive: true });
  fs.mkdirSync(path.join(root, 'var'), { recursive: true });
  fs.symlinkSync('../run', path.join(root, 'var', 'run'));
  for (const [imagePath, file] of Object.entries(run.imageFiles)) {
    fs.mkdirSync(path.dirname(path.join(root, imagePath)), { recursive: true });
    fs.copyFileSync(file, path.join(root, imagePath));
    fs.chmodSync(path.join(root, imagePath), fs.statSync(file).mode);
  }
  const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-pid-')), 'pid');
  const child = spawn('unshare', ['--mount', '--propagation', 'private', '--fork', '--kill-child', 'bash', '-c', setupScript(run, root, pidFile)], { stdio: ['ignore', 'pipe', 'pipe'] });
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
