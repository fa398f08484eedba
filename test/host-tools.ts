/**
 * Tests whose oracle is a program from a Debian package (cloud-init's schema
 * check and network parser, Graphviz, Python 3). `npm test` needs Node only:
 * such a test runs when its program is installed and is skipped, saying which
 * package it needs, when it is not. With REQUIRE_HOST_TOOLS=1 (`npm run
 * test:conformance` sets it after build-tools/install-test-deps.sh installed
 * the packages) a missing program fails the test instead of skipping it.
 */
import { spawnSync } from 'child_process';

const REQUIRED = process.env.REQUIRE_HOST_TOOLS === '1';

/** A program a test runs, the command line that shows it works, and the Debian package that has it. */
export interface HostTool {
  readonly name: string;
  readonly probe: readonly string[];
  readonly debianPackage: string;
}

export const CLOUD_INIT: HostTool = { name: 'cloud-init', probe: ['cloud-init', '--version'], debianPackage: 'cloud-init' };
/** cloud-init's Python modules, which the tests import with the system Python. */
export const CLOUD_INIT_PYTHON: HostTool = { name: 'cloud-init\'s Python modules', probe: ['/usr/bin/python3', '-c', 'import cloudinit, yaml'], debianPackage: 'cloud-init' };
export const GRAPHVIZ: HostTool = { name: 'Graphviz (dot)', probe: ['dot', '-V'], debianPackage: 'graphviz' };
export const PYTHON3: HostTool = { name: 'Python 3', probe: ['/usr/bin/python3', '-c', 'import xml.dom.minidom'], debianPackage: 'python3' };

const present = new Map<HostTool, boolean>();

/** Whether the tool's probe runs and exits 0 (probed once per run of a suite). */
export function hostToolPresent(tool: HostTool): boolean {
  let ok = present.get(tool);
  if (ok === undefined) {
    const r = spawnSync(tool.probe[0], tool.probe.slice(1), { encoding: 'utf-8', timeout: 60_000 });
    ok = !r.error && r.status === 0;
    present.set(tool, ok);
  }
  return ok;
}

function skipTitle(title: string, tools: readonly HostTool[]): string {
  const missing = tools.filter(t => !hostToolPresent(t));
  return `${title} (skipped, missing ${missing.map(t => `${t.name} (Debian package ${t.debianPackage})`).join(' and ')})`;
}

/** `test` when every tool is installed (or REQUIRE_HOST_TOOLS=1), else a `test.skip` whose title says what is missing. */
export function testWith(...tools: HostTool[]): (title: string, fn: jest.ProvidesCallback, timeout?: number) => void {
  if (REQUIRED || tools.every(hostToolPresent)) return test;
  return (title, fn, timeout) => test.skip(skipTitle(title, tools), fn, timeout);
}

/** `describe` when every tool is installed (or REQUIRE_HOST_TOOLS=1), else a `describe.skip` whose title says what is missing. */
export function describeWith(...tools: HostTool[]): (title: string, fn: () => void) => void {
  if (REQUIRED || tools.every(hostToolPresent)) return describe;
  return (title, fn) => describe.skip(skipTitle(title, tools), fn);
}
