/**
 * The high-performance scenario: a database VM pinned to dedicated CPUs,
 * backed by 1 GiB hugepages with the host's NUMA layout, on an SR-IOV
 * network of its own; a GPU VM whose GPU the platform's KubeVirt permits; a
 * fleet sized by an instancetype defined here; a Windows VM with EFI,
 * Secure Boot, TPM and Hyper-V enlightenments booted from a generalized
 * (sysprepped) golden image and set up on first boot by an answer file in a
 * Secret; and a migration policy for the fleet.
 *
 * The platform must switch on the CPUManager gate and permit the GPU:
 * `HIGH_PERFORMANCE_PLATFORM` holds those settings for the KubeVirt CR.
 */
import { Chart, ChartProps, Duration, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import {
  BootDisk, CloudInit, CniPlugin, CpuModel, DataVolumeSource, Disk, EvictionStrategy, FeatureGate, Firmware, GoldenImage, HugepagesSize,
  HypervEnlightenments, InputBus, Instancetype, InterfaceBinding, IoThreadsPolicy, KubeVirtProps, MachineType, MigrationPolicy, Network,
  NetworkAttachmentDefinition, Preference, SmartCloneFleet, Sysprep, TimerTickPolicy, VirtualMachine, VirtualMachineInstancetype,
  VirtualMachinePreference, VmProbe,
} from '../src';

/** The GPU the GPU VM takes: an NVIDIA T4 (PCI id 10de:1eb8) passed through whole. */
export const GPU_RESOURCE = 'nvidia.com/TU104GL_Tesla_T4';

/** What the platform's KubeVirt needs for this scenario. */
export const HIGH_PERFORMANCE_PLATFORM: KubeVirtProps = {
  featureGates: [FeatureGate.CPU_MANAGER],
  permittedHostDevices: { pciHostDevices: [{ pciVendorSelector: '10de:1eb8', resourceName: GPU_RESOURCE }] },
};

/** The Windows Server golden image (prepared with virtio drivers). */
export const WINDOWS_IMAGE_URL = 'https://example.org/windows-server-2022.qcow2';

const NAMESPACE = 'high-performance';

/** Settings of {@link HighPerformanceChart}. */
export interface HighPerformanceChartProps extends ChartProps {
  /**
   * Password of the Windows VM's Administrator, written into the answer
   * file's Secret (never into the VM). Take it from a secret store or the
   * environment, not from source code.
   * @default - none: Windows asks for it on the console at first sign-in
   */
  readonly windowsAdminPassword?: string;
}

/** The Secret holding the Windows answer file. */
export const WINDOWS_UNATTEND_SECRET = 'windows-unattend';

/** Escapes text for an XML element. */
function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The answer file Windows reads from the sysprep CD-ROM when a generalized
 * image boots: it names the machine, sets the time zone and locale, skips
 * the OOBE screens and, if given, sets the Administrator password.
 */
export function windowsUnattend(computerName: string, adminPassword?: string): string {
  const component = (name: string, body: string[]) => [
    `    <component name="${name}" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">`,
    ...body.map(line => `      ${line}`),
    '    </component>',
  ];
  const password = adminPassword === undefined ? [] : [
    '<UserAccounts>',
    `  <AdministratorPassword><Value>${xmlText(adminPassword)}</Value><PlainText>true</PlainText></AdministratorPassword>`,
    '</UserAccounts>',
  ];
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<unattend xmlns="urn:schemas-microsoft-com:unattend">',
    '  <settings pass="specialize">',
    ...component('Microsoft-Windows-Shell-Setup', [`<ComputerName>${xmlText(computerName)}</ComputerName>`, '<TimeZone>UTC</TimeZone>']),
    '  </settings>',
    '  <settings pass="oobeSystem">',
    ...component('Microsoft-Windows-International-Core', [
      '<InputLocale>en-US</InputLocale>', '<SystemLocale>en-US</SystemLocale>', '<UILanguage>en-US</UILanguage>', '<UserLocale>en-US</UserLocale>',
    ]),
    ...component('Microsoft-Windows-Shell-Setup', [
      '<OOBE><HideEULAPage>true</HideEULAPage><ProtectYourPC>3</ProtectYourPC></OOBE>',
      ...password,
    ]),
    '  </settings>',
    '</unattend>',
    '',
  ].join('\n');
}

/** The high-performance workloads, all in namespace `high-performance`. */
export class HighPerformanceChart extends Chart {
  public readonly database: VirtualMachine;
  public readonly gpuVm: VirtualMachine;
  public readonly fleet: SmartCloneFleet;
  public readonly windows: VirtualMachine;

  constructor(scope: Construct, id: string, props: HighPerformanceChartProps = {}) {
    const { windowsAdminPassword, ...chartProps } = props;
    super(scope, id, { ...chartProps, namespace: NAMESPACE });

    // a VLAN on SR-IOV virtual functions, for the database only
    const dataplane = new NetworkAttachmentDefinition(this, 'dataplane', {
      name: 'dataplane',
      resourceName: 'intel.com/sriov_netdevice',
      plugins: [CniPlugin.custom({ type: 'sriov', vlan: 120, spoofchk: 'on', trust: 'off' })],
    });

    // 4 pinned vCPUs + an isolated emulator thread, 16 GiB on 1 GiB pages, guest NUMA = host NUMA
    this.database = new VirtualMachine(this, 'database', {
      name: 'database',
      bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:41'),
      cores: 4,
      memory: Size.gibibytes(16),
      dedicatedCpus: true,
      isolateEmulatorThread: true,
      numaGuestMappingPassthrough: true,
      hugepages: HugepagesSize.ONE_GI,
      cpuModel: CpuModel.HOST_PASSTHROUGH,
      networkInterfaceMultiqueue: true,
      blockMultiQueue: true,
      ioThreadsPolicy: IoThreadsPolicy.SUPPLEMENTAL_POOL,
      ioThreads: 2,
      evictionStrategy: EvictionStrategy.NONE,
      readinessProbe: VmProbe.tcp(5432, { initialDelay: Duration.seconds(30) }),
      templateLabels: { workload: 'database' },
      networks: [
        { name: 'default', network: Network.pod() },
        { name: 'dataplane', network: Network.multus(dataplane), binding: InterfaceBinding.sriov() },
      ],
      // the readiness probe connects to the guest's pod-network address, so
      // PostgreSQL must be initialised, started and listening beyond localhost
      cloudInit: CloudInit.noCloud({
        packages: ['postgresql-server', 'qemu-guest-agent'],
        runcmd: [
          'postgresql-setup --initdb',
          'echo "listen_addresses = \'*\'" >> /var/lib/pgsql/data/postgresql.conf',
          'systemctl enable --now postgresql qemu-guest-agent',
        ],
      }),
    });

    // a whole GPU passed through; the platform permits GPU_RESOURCE
    this.gpuVm = new VirtualMachine(this, 'gpu', {
      name: 'inference',
      bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:41'),
      cores: 8,
      memory: Size.gibibytes(32),
      gpus: [{ name: 'gpu1', deviceName: GPU_RESOURCE }],
      evictionStrategy: EvictionStrategy.NONE,
      cloudInit: CloudInit.noCloud({ packages: ['qemu-guest-agent'] }),
    });

    // a fleet sized by its own instancetype, with a preference that needs 2 vCPUs
    const size = new VirtualMachineInstancetype(this, 'batch-size', {
      name: 'batch.large', cpus: 2, memory: Size.gibibytes(4), memoryOvercommitPercent: 10,
    });
    const preference = new VirtualMachinePreference(this, 'batch-preference', {
      name: 'batch', requirements: { minCpus: 2, minMemory: Size.gibibytes(2) }, preferredMachineType: MachineType.Q35,
    });
    this.fleet = new SmartCloneFleet(this, 'batch', {
      name: 'batch',
      source: DataVolumeSource.registry('docker://quay.io/containerdisks/fedora:41'),
      diskSize: Size.gibibytes(10),
      allowPerVmImport: true,
      replicas: 3,
      instancetype: Instancetype.of(size),
      preference: Preference.of(preference),
      templateLabels: { workload: 'batch' },
      evictionStrategy: EvictionStrategy.LIVE_MIGRATE_IF_POSSIBLE,
    });
    new MigrationPolicy(this, 'batch-migrations', {
      name: 'batch',
      vmLabels: { workload: 'batch' },
      bandwidthPerMigration: Size.mebibytes(256),
      completionTimeoutPerGiB: Duration.seconds(120),
      allowAutoConverge: true,
    });

    // Windows Server from a generalized golden image: EFI + Secure Boot, persistent TPM, Hyper-V enlightenments
    const image = new GoldenImage(this, 'windows-image', {
      namespace: NAMESPACE,
      source: DataVolumeSource.http(WINDOWS_IMAGE_URL),
      size: Size.gibibytes(64),
      storageClass: 'rook-ceph-block',
      snapshotClass: 'csi-rbdplugin-snapclass',
    });
    this.windows = new VirtualMachine(this, 'windows', {
      name: 'windows',
      bootDisk: BootDisk.cloneOf(image),
      cores: 4,
      memory: Size.gibibytes(8),
      cpuRequest: Cpu.units(2),
      firmware: Firmware.efi({ secureBoot: true, persistent: true }),
      tpm: { persistent: true },
      hyperv: HypervEnlightenments.windows(),
      clock: { hpet: false, hypervTimer: true, pitTickPolicy: TimerTickPolicy.DELAY, rtcTickPolicy: TimerTickPolicy.CATCHUP },
      tabletInput: InputBus.USB,
      terminationGracePeriod: Duration.hours(1),
      // readiness, not liveness: Windows setup (specialize, oobeSystem and their reboots) runs
      // before any guest agent can answer, and a liveness probe would restart it midway
      readinessProbe: VmProbe.guestAgentPing({ initialDelay: Duration.minutes(5), period: Duration.seconds(30) }),
    });
    // the answer file for the image's first boot (specialize and oobeSystem passes) sits in a Secret of
    // the VM's namespace; KubeVirt hands it to Windows on a CD-ROM (a sysprep volume), found there as unattend.xml
    new k8s.KubeSecret(this, 'windows-unattend', {
      metadata: { name: WINDOWS_UNATTEND_SECRET },
      type: 'Opaque',
      stringData: { 'unattend.xml': windowsUnattend('windows', windowsAdminPassword) },
    });
    this.windows.addDisk('sysprep', Disk.sysprep(Sysprep.fromSecret(WINDOWS_UNATTEND_SECRET)));
  }
}
