import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { nodeRequirementsSection, readmeNodeRequirements } from './readme-sections';
import { CniPlugin, NetworkAttachmentDefinition, VirtualizationPlatform } from '../../src';

const README = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf-8');

describe('the README\'s "What the nodes need"', () => {
  test('lists exactly what NodeRequirements derives for the example cluster', () => {
    const section = readmeNodeRequirements(README);
    expect(section).toBeDefined();
    // on a difference, rewrite it: npx ts-node -P test/tsconfig.json test/docs/readme-sections.ts
    expect(section).toBe(nodeRequirementsSection());
  });

  test('shows the refusal a network with an uninstalled plugin really gets', () => {
    const app = Testing.app();
    new VirtualizationPlatform(app, 'platform');
    new NetworkAttachmentDefinition(new Chart(app, 'storage'), 'net', { plugins: [CniPlugin.macvlan({ master: 'eth1' })] });
    let message = '';
    try {
      app.synth();
    } catch (e: any) {
      message = String(e.message);
    }
    const line = message.split('\n').map(l => l.trim()).find(l => l.startsWith('[storage/net]'));
    expect(line).toBeDefined();
    expect(README).toContain(`\`\`\`text\n${line}\n\`\`\``);
  });
});
