/**
 * Synthesizes a VirtualizationPlatform with every optional part switched on
 * and every part at its defaults into the folder given, for the platform
 * check (`npm run check:platform -- <folder>`).
 *
 *   npx ts-node -P test/tsconfig.json test/platform-check/all-parts.ts <folder>
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { VirtualizationPlatform } from '../../src/platform';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: all-parts.ts <output folder>\n');
  process.exit(2);
}
fs.rmSync(out, { recursive: true, force: true });
const app = new App({ outdir: path.resolve(out) });
new VirtualizationPlatform(app, 'platform', {
  // multi-networkpolicy-iptables has no release image to default to: a
  // placeholder mirror pinned by digest
  multiNetworkPolicy: { enabled: true, image: { repository: 'mirror.example.com/multi-networkpolicy-iptables', digest: `sha256:${'0'.repeat(64)}` } },
  nmstate: { enabled: true },
  cniPlugins: { enabled: true },
  ovsCni: { enabled: true },
  // containernetworking/plugins publishes no image: a placeholder mirror
  dhcpDaemon: { enabled: true, image: { repository: 'mirror.example.com/cni-plugins', tag: 'v1.9.1' } },
  // the bucket and settings test/cluster/velero's velero-install gives velero install
  velero: {
    enabled: true,
    nodeAgent: true,
    backupStorageLocation: {
      bucket: 'vm-backups', prefix: 'cluster-a', region: 'minio', s3Url: 'https://minio.example.com:9000', credentials: { secretName: 'cloud-credentials' },
    },
  },
});
app.synth();
process.stdout.write(`wrote the platform with every optional part to ${out}\n`);
