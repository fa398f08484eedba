/**
 * The Secrets a VM's guest configuration lives in: the cloud-init user and
 * network data, and the SSH public keys.
 */
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { CloudInit } from './cloud-init';
import { CloudInitSecretRef } from '../../disks/volume-plan';
import { VirtualMachineTemplateOptions } from '../template-options';

/** Name of the Secret holding the inline cloud-init data of `<base>`. */
export function cloudInitSecretName(base: string): string {
  return `${base}-cloud-init`;
}

/** Name of the Secret holding the SSH public keys of `<base>`. */
export function sshKeySecretName(base: string): string {
  return `${base}-ssh-keys`;
}

/** The cloud-init data a VM needs when it has SSH keys but no cloud-init. */
export const EMPTY_CLOUD_INIT = CloudInit.noCloud({});

/**
 * Creates the Secret holding inline cloud-init data, or returns the existing
 * Secret a `CloudInit.fromSecret()` points at. Fleets call it once and share
 * the result among their VMs.
 */
export function ensureCloudInitSecret(
  scope: Construct, id: string, secretName: string, namespace: string, cloudInit: CloudInit, vmKeys: boolean = false,
): CloudInitSecretRef {
  const existing = cloudInit._secretRef();
  if (existing) return existing;
  const data: { [key: string]: string } = { userdata: base64(cloudInit._renderUserData(vmKeys) ?? '#cloud-config\n{}\n') };
  const networkData = cloudInit._renderNetworkData();
  if (networkData !== undefined) data.networkdata = base64(networkData);
  new k8s.KubeSecret(scope, id, {
    metadata: { name: secretName, namespace },
    type: 'Opaque',
    data,
  });
  return {
    userDataSecretName: secretName,
    networkDataSecretName: networkData !== undefined ? secretName : undefined,
    ...(cloudInit._configDrive ? { configDrive: true } : {}),
  };
}

/** Creates the Secret holding SSH public keys (`key1`, `key2`, ... in the given order). */
export function createSshKeySecret(scope: Construct, id: string, secretName: string, namespace: string, keys: string[]): string {
  const data: { [key: string]: string } = {};
  keys.forEach((key, i) => { data[`key${i + 1}`] = base64(key.trim()); });
  new k8s.KubeSecret(scope, id, {
    metadata: { name: secretName, namespace },
    type: 'Opaque',
    data,
  });
  return secretName;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf-8').toString('base64');
}

/** The Secrets VMs refer to, as created by {@link createVmSecrets}. */
export interface VmSecrets {
  readonly cloudInit?: CloudInitSecretRef;
  readonly sshKeySecretName?: string;
}

/**
 * Creates, as children of `scope`, the Secrets that the options call for:
 * `<base>-cloud-init` for inline cloud-init data (or an empty one when only
 * SSH keys are given, since KubeVirt's NoCloud propagation needs a NoCloud
 * volume) and `<base>-ssh-keys`. A VM passes its own name as `base`; a fleet
 * passes its name once and shares the result among its VMs.
 */
export function createVmSecrets(scope: Construct, base: string, namespace: string, options: VirtualMachineTemplateOptions): VmSecrets {
  const sshKeys = options.sshKeys ?? [];
  const cloudInit = options.cloudInit ?? (sshKeys.length > 0 ? EMPTY_CLOUD_INIT : undefined);
  return {
    cloudInit: cloudInit ? ensureCloudInitSecret(scope, 'CloudInit', cloudInitSecretName(base), namespace, cloudInit, sshKeys.length > 0) : undefined,
    sshKeySecretName: sshKeys.length > 0 ? createSshKeySecret(scope, 'SshKeys', sshKeySecretName(base), namespace, sshKeys) : undefined,
  };
}
