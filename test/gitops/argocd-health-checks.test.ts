import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ArgoCdHealthChecks } from '../../src';
import { CLUSTER_WRITTEN_FIELDS, ClusterWrittenField } from '../../src/gitops/cluster-written-fields';

const ROOT = path.resolve(__dirname, '../..');

function synth(props?: any): any {
  const chart = new Chart(Testing.app(), 'argocd');
  new ArgoCdHealthChecks(chart, 'health', props);
  const docs = Testing.synth(chart);
  expect(docs).toHaveLength(1);
  return docs[0];
}

describe('ArgoCdHealthChecks', () => {
  test('writes argocd-cm, labelled for Argo CD\'s settings informer, in argocd by default', () => {
    const cm = synth();
    expect(cm.kind).toBe('ConfigMap');
    expect(cm.metadata).toEqual({
      name: 'argocd-cm',
      namespace: 'argocd',
      labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
    });
  });

  test('has a health check for each kind Argo CD judges wrong or not at all, keys sorted', () => {
    const keys = Object.keys(synth().data);
    expect(keys).toEqual([...keys].sort());
    for (const gk of ['kubevirt.io_VirtualMachine', 'cdi.kubevirt.io_DataVolume', 'cdi.kubevirt.io_DataImportCron',
      'cdi.kubevirt.io_DataSource', 'pool.kubevirt.io_VirtualMachinePool', 'migrations.kubevirt.io_MigrationPolicy',
      'instancetype.kubevirt.io_VirtualMachineInstancetype', 'snapshot.kubevirt.io_VirtualMachineSnapshot',
      'snapshot.kubevirt.io_VirtualMachineRestore', 'clone.kubevirt.io_VirtualMachineClone',
      'export.kubevirt.io_VirtualMachineExport', 'template.kubevirt.io_VirtualMachineTemplate',
      'nmstate.io_NodeNetworkConfigurationPolicy', 'velero.io_Schedule']) {
      expect(keys).toContain(`resource.customizations.health.${gk}`);
    }
    // Argo CD's own checks are right for these
    expect(keys).not.toContain('resource.customizations.health.kubevirt.io_VirtualMachineInstance');
    expect(keys).not.toContain('resource.customizations.health.snapshot.storage.k8s.io_VolumeSnapshot');
  });

  test('takes another namespace', () => {
    expect(synth({ namespace: 'gitops' }).metadata.namespace).toBe('gitops');
  });

  test('refuses a namespace that is no DNS-1123 label, naming the prop', () => {
    expect(() => synth({ namespace: 'Argo_CD' })).toThrow(/\[argocd\/health\] 'namespace'.*Argo_CD/);
    expect(() => synth({ namespace: 7 })).toThrow(/'namespace'/);
  });

  test('tells Argo CD to ignore the fields the cluster writes, merged by kind', () => {
    const fields = CLUSTER_WRITTEN_FIELDS as ClusterWrittenField[];
    const added: ClusterWrittenField[] = [
      { group: 'kubevirt.io', kind: 'VirtualMachine', jsonPointers: ['/spec/template/spec/domain/machine'], reason: 'test' },
      { group: 'kubevirt.io', kind: 'VirtualMachine', jsonPointers: ['/spec/template/spec/domain/machine', '/spec/runStrategy'], reason: 'test' },
      { group: '', kind: 'PersistentVolumeClaim', jsonPointers: ['/spec/volumeName'], reason: 'test' },
    ];
    const listed = (group: string, kind: string) => fields.filter(f => f.group === group && f.kind === kind).flatMap(f => f.jsonPointers);
    const pointers = (list: string[]) => 'jsonPointers:\n' + [...new Set(list)].map(p => `- "${p}"\n`).join('');
    const vmPointers = listed('kubevirt.io', 'VirtualMachine');
    const before = fields.length;
    fields.push(...added);
    try {
      const data = synth().data;
      expect(data['resource.customizations.ignoreDifferences.kubevirt.io_VirtualMachine'])
        .toBe(pointers([...vmPointers, '/spec/template/spec/domain/machine', '/spec/runStrategy']));
      expect(data['resource.customizations.ignoreDifferences.PersistentVolumeClaim']).toBe('jsonPointers:\n- "/spec/volumeName"\n');
      fields.push({ group: 'x.io', kind: 'Y', jsonPointers: ['spec/a'], reason: 'test' });
      expect(() => synth()).toThrow(/jsonPointers' must be an RFC 6901 JSON pointer.*got 'spec\/a'/);
    } finally {
      fields.splice(before);
    }
    expect(CLUSTER_WRITTEN_FIELDS.filter(f => f.reason === 'test')).toHaveLength(0);
  });
});

describe('README, GitOps with Argo CD and Flux', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## GitOps with Argo CD and Flux'));

  test.each(['application.yaml', 'flux.yaml'])('shows examples/gitops/%s as it is', (file) => {
    const text = fs.readFileSync(path.join(ROOT, 'examples/gitops', file), 'utf8');
    expect(section).toContain('```yaml\n' + text + '```');
  });

  test('shows the health matrix the Argo CD health tool wrote (test/gitops/health-matrix.md)', () => {
    const matrix = fs.readFileSync(path.join(ROOT, 'test/gitops/health-matrix.md'), 'utf8');
    expect(matrix).toMatch(/^\| kind \| state \|/);
    expect(section).toContain('\n' + matrix + '\n');
  });
});
