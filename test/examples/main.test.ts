import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { buildExampleCluster } from '../../examples/main';
import { Topology, TopologyNodeKind } from '../../src';
import { checkPinnedImage } from '../../src/validation/image';
import { assertValid } from '../util';

function synthToDir(): { dir: string; files: Map<string, Buffer> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubevirt-example-'));
  const app = new App({ outdir: dir });
  buildExampleCluster(app);
  app.synth();
  Topology.fromApp(app).writeFiles(dir, { svg: false });
  const files = new Map<string, Buffer>();
  for (const f of fs.readdirSync(dir).sort()) files.set(f, fs.readFileSync(path.join(dir, f)));
  return { dir, files };
}

/** Every string under an `image` key, and every *_IMAGE env value. */
function imagesIn(value: any, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach(v => imagesIn(v, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'image' && typeof v === 'string') {out.push(v);} else if (k === 'env' && Array.isArray(v)) {
        for (const e of v) if (/_IMAGE$/.test(e?.name ?? '') && typeof e.value === 'string') out.push(e.value);
      } else {imagesIn(v, out);}
    }
  }
  return out;
}

describe('the example cluster', () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'kubevirt-example-')) });
  buildExampleCluster(app);
  const docs = app.charts.flatMap(c => c.toJson());

  test('every object is accepted by the upstream schemas', () => {
    expect(docs.length).toBeGreaterThan(80);
    assertValid(docs);
  });

  test('guards Ceph\'s pods on the storage network (tenants are apart by VLAN), and draws the policy', () => {
    const policies = docs.filter(d => d.kind === 'MultiNetworkPolicy').map(d => `${d.metadata.namespace}/${d.metadata.name}`);
    expect(policies).toEqual(['rook-ceph/ceph-public-ceph-ports']);
    const drawn = Topology.fromManifests(docs).nodes.filter(n => n.kind === TopologyNodeKind.POLICY).map(n => `${n.namespace}/${n.name}`);
    expect(drawn).toEqual([...policies].sort());
  });

  test('the platform is written first, then the namespaces, then the workloads', () => {
    const { files } = synthToDir();
    const yamlFiles = [...files.keys()].filter(f => f.endsWith('.k8s.yaml'));
    expect(yamlFiles[0]).toBe('0000-platform.k8s.yaml');
    expect(yamlFiles[1]).toBe('0001-namespaces.k8s.yaml');
    expect(yamlFiles.length).toBe(app.charts.length);
  });

  test('synthesizing the same program twice gives byte-identical files', () => {
    const first = synthToDir();
    const second = synthToDir();
    expect([...second.files.keys()]).toEqual([...first.files.keys()]);
    for (const [name, content] of first.files) {
      expect({ name, same: content.equals(second.files.get(name)!) }).toEqual({ name, same: true });
    }
  });

  test('no image anywhere in the output is unpinned', () => {
    const images = imagesIn(docs);
    expect(images.length).toBeGreaterThan(10);
    for (const image of images) {
      expect({ image, problem: checkPinnedImage(image) }).toEqual({ image, problem: undefined });
    }
  });

  test('no secret material is inlined in a VirtualMachine', () => {
    for (const vm of docs.filter(d => d.kind === 'VirtualMachine' || d.kind === 'VirtualMachinePool')) {
      const text = JSON.stringify(vm);
      expect(text).not.toMatch(/userData"|userDataBase64|ssh-(ed25519|rsa) /);
    }
  });
});
