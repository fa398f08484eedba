import { Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CloudInitFile, CloudInitNetworkInterface, CloudInitUser } from './cloud-init-options';
import { renderEthernets, renderFile, renderUser } from './cloud-init-render';
import { requireNetworkInterfaces, requireNoCloudShape, preview } from './cloud-init-rules';
import {
  checkDns1123Subdomain, checkSshPublicKey, propError, suggestDns1123Label,
  requireShape, Shape,
} from '../../../validation';
import { CloudInitSecretRef } from '../../disks/volume-plan';

/**
 * Options of {@link CloudInit.noCloud}: either structured cloud-config
 * fields, rendered as a `#cloud-config` document, or raw `userData`.
 */
export interface CloudInitNoCloudOptions {
  /**
   * User accounts to create.
   *
   * @default - only the distribution's default user
   */
  readonly users?: CloudInitUser[];

  /**
   * Keep the distribution's default user (`default` first in `users`) when
   * `users` is given. Cloud-init gives SSH keys that name no user (these
   * `sshAuthorizedKeys`, and the VM's `sshKeys`, which KubeVirt puts in the
   * meta-data) only to that user, and a `users` list without `default`
   * creates no such user; so it is kept whenever such keys are given, and
   * `false` together with them is an error.
   *
   * @default - true when `sshAuthorizedKeys` or the VM's `sshKeys` are
   * given, else false
   */
  readonly keepDefaultUser?: boolean;

  /**
   * SSH public keys for the distribution's default user
   * (`ssh_authorized_keys`); with `users`, that user is kept (see
   * `keepDefaultUser`). To log in as one of `users`, give the keys to that
   * user's `sshAuthorizedKeys`.
   *
   * @default - none
   */
  readonly sshAuthorizedKeys?: string[];

  /**
   * Packages to install on first boot.
   *
   * @default - none
   */
  readonly packages?: string[];

  /**
   * Refresh the package index on first boot.
   *
   * @default - cloud-init refreshes it when `packages` is not empty
   */
  readonly packageUpdate?: boolean;

  /**
   * Upgrade all packages on first boot.
   *
   * @default false
   */
  readonly packageUpgrade?: boolean;

  /**
   * Shell commands run early at every boot (`bootcmd`).
   *
   * @default - none
   */
  readonly bootcmd?: string[];

  /**
   * Shell commands run once, late in the first boot (`runcmd`).
   *
   * @default - none
   */
  readonly runcmd?: string[];

  /**
   * Files to write.
   *
   * @default - none
   */
  readonly writeFiles?: CloudInitFile[];

  /**
   * More top-level cloud-config keys, written as given (keys sorted). A key
   * that a structured option already sets is an error.
   *
   * @default - none
   */
  readonly extraConfig?: { [key: string]: any };

  /**
   * Raw user data (a `#cloud-config` document, a `#!` script or a MIME
   * multi-part archive), instead of the structured options above.
   *
   * @default - rendered from the structured options
   */
  readonly userData?: string;

  /**
   * Guest interfaces, rendered as network-config version 2.
   *
   * @default - no network data; the guest configures itself (usually DHCP)
   */
  readonly networkInterfaces?: CloudInitNetworkInterface[];

  /**
   * Raw network data (network-config version 1 or 2), instead of
   * `networkInterfaces`.
   *
   * @default - rendered from `networkInterfaces`, if any
   */
  readonly networkData?: string;
}

/** Options of {@link CloudInit.fromSecret}. */
export interface CloudInitFromSecretOptions {
  /**
   * Secret that holds the network data under the key `networkdata`. It may
   * be the same Secret as the user data.
   *
   * @default - no network data
   */
  readonly networkDataSecretName?: string;

  /**
   * Hand the data to the guest on a config drive (`cloudInitConfigDrive`)
   * instead of a NoCloud disk.
   *
   * @default false
   */
  readonly configDrive?: boolean;
}

const STRUCTURED_KEYS: ReadonlyArray<keyof CloudInitNoCloudOptions> = [
  'users', 'keepDefaultUser', 'sshAuthorizedKeys', 'packages', 'packageUpdate', 'packageUpgrade',
  'bootcmd', 'runcmd', 'writeFiles', 'extraConfig',
];

/** Size limit of the (decoded) data of one Kubernetes Secret. */
const MAX_SECRET_DATA = 1024 * 1024;

/** Cloud-config keys that structured options write. */
const RENDERED_KEYS = [
  'users', 'ssh_authorized_keys', 'package_update', 'package_upgrade', 'packages', 'bootcmd', 'write_files', 'runcmd',
];

/**
 * Cloud-init NoCloud data for a VM: user data and optional network data.
 * It always reaches the VM through a Kubernetes Secret (never inline in the
 * VM spec): `noCloud()` makes the VM create one, `fromSecret()` points at an
 * existing one, which many VMs can share.
 */
export class CloudInit {
  /**
   * User data (and optional network data) that the VM stores in a Secret of
   * its own, named `<vm name>-cloud-init`, under the keys `userdata` and
   * `networkdata`.
   */
  public static noCloud(options: CloudInitNoCloudOptions): CloudInit {
    requireNoCloudShape('CloudInit.noCloud', options);
    return new CloudInit(options, undefined);
  }

  /**
   * User data already stored in a Secret of the VM's namespace, under the key
   * `userdata`. Lets many VMs share one Secret.
   */
  public static fromSecret(secretName: string, options: CloudInitFromSecretOptions = {}): CloudInit {
    Shape.string('CloudInit.fromSecret', 'secretName', secretName);
    requireShape('CloudInit.fromSecret', 'options', options, { networkDataSecretName: Shape.optString, configDrive: Shape.optBoolean });
    const configDrive = options.configDrive === true;
    return new CloudInit(undefined, {
      userDataSecretName: secretName, networkDataSecretName: options.networkDataSecretName, ...(configDrive ? { configDrive } : {}),
    }, configDrive);
  }

  /**
   * The same data as `noCloud()`, handed to the guest on a config drive
   * (`cloudInitConfigDrive`, the OpenStack layout) for images that only
   * read that data source. The data still goes into the VM's
   * `<vm name>-cloud-init` Secret. Network data on a config drive is
   * OpenStack `network_data.json`: give it raw as `networkData`.
   */
  public static configDrive(options: CloudInitNoCloudOptions): CloudInit {
    requireNoCloudShape('CloudInit.configDrive', options);
    return new CloudInit(options, undefined, true);
  }

  private readonly options?: CloudInitNoCloudOptions;
  private readonly secretRef?: CloudInitSecretRef;
  private readonly configDrive: boolean;

  private constructor(options: CloudInitNoCloudOptions | undefined, secretRef: CloudInitSecretRef | undefined, configDrive: boolean = false) {
    this.options = options;
    this.secretRef = secretRef;
    this.configDrive = configDrive;
  }

  /** Whether the data goes on a config drive. @internal */
  public get _configDrive(): boolean {
    return this.configDrive;
  }

  /** The existing Secret(s) this cloud-init refers to, if it does. @internal */
  public _secretRef(): CloudInitSecretRef | undefined {
    return this.secretRef;
  }

  /**
   * Throws the library error for unusable options.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.secretRef) {
      this.validateSecretName(scope, `${prop}.secretName`, this.secretRef.userDataSecretName);
      if (this.secretRef.networkDataSecretName !== undefined) {
        this.validateSecretName(scope, `${prop}.networkDataSecretName`, this.secretRef.networkDataSecretName);
      }
      return;
    }
    const o = this.options ?? {};
    if (o.userData !== undefined) {
      const given = STRUCTURED_KEYS.filter(k => o[k] !== undefined);
      if (given.length > 0) {
        throw propError(scope, `${prop}.userData`, preview(o.userData),
          `cannot be combined with structured options (${given.join(', ')})`,
          'put everything in the raw userData, or drop userData and use the structured options (extraConfig takes any other key)');
      }
      if (o.userData.trim().length === 0) {
        throw propError(scope, `${prop}.userData`, o.userData, 'must not be empty', 'give a #cloud-config document or a script');
      }
    }
    if (this.configDrive && o.networkInterfaces !== undefined) {
      throw propError(scope, `${prop}.networkInterfaces`, o.networkInterfaces.length,
        'render netplan network data, which a config drive does not read (it reads OpenStack network_data.json)',
        'give network_data.json as raw networkData, or use CloudInit.noCloud()');
    }
    if (o.networkData !== undefined && o.networkInterfaces !== undefined) {
      throw propError(scope, `${prop}.networkData`, preview(o.networkData),
        'cannot be combined with networkInterfaces', 'give either raw networkData or networkInterfaces');
    }
    (o.sshAuthorizedKeys ?? []).forEach((key, i) => this.validateKey(scope, `${prop}.sshAuthorizedKeys[${i}]`, key));
    if (o.users !== undefined && o.keepDefaultUser === false && (o.sshAuthorizedKeys ?? []).length > 0) {
      throw propError(scope, `${prop}.keepDefaultUser`, false,
        'drops the distribution\'s default user, the only user cloud-init gives sshAuthorizedKeys to, so those keys would let nobody log in',
        'drop keepDefaultUser: false, or move the keys to the sshAuthorizedKeys of one of the users');
    }
    const userNames = new Set<string>();
    (o.users ?? []).forEach((user, i) => {
      const p = `${prop}.users[${i}]`;
      if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user.name ?? '')) {
        throw propError(scope, `${p}.name`, user.name, 'must be a Linux user name (lowercase letters, digits, \'_\' and \'-\', at most 32 characters)',
          'use a name such as \'fedora\' or \'ops_user\'');
      }
      if (user.name === 'default') {
        throw propError(scope, `${p}.name`, user.name, 'is cloud-init\'s placeholder for the distribution user', 'set keepDefaultUser: true instead');
      }
      if (userNames.has(user.name)) {
        throw propError(scope, `${p}.name`, user.name, 'is listed twice', 'give each user once');
      }
      userNames.add(user.name);
      (user.sshAuthorizedKeys ?? []).forEach((key, k) => this.validateKey(scope, `${p}.sshAuthorizedKeys[${k}]`, key));
    });
    (o.writeFiles ?? []).forEach((file, i) => {
      const p = `${prop}.writeFiles[${i}]`;
      if (typeof file.path !== 'string' || !file.path.startsWith('/')) {
        throw propError(scope, `${p}.path`, file.path, 'must be an absolute path', 'start the path with \'/\'');
      }
      if (file.permissions !== undefined && !/^0?[0-7]{3,4}$/.test(file.permissions)) {
        throw propError(scope, `${p}.permissions`, file.permissions, 'must be an octal file mode', 'write it like \'0644\' or \'0600\'');
      }
      if (file.owner !== undefined && !/^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$/.test(file.owner)) {
        throw propError(scope, `${p}.owner`, file.owner, 'must be \'user\' or \'user:group\'', 'write it like \'root:root\'');
      }
    });
    const extra = Object.keys(o.extraConfig ?? {}).filter(k => RENDERED_KEYS.includes(k));
    if (extra.length > 0) {
      throw propError(scope, `${prop}.extraConfig`, extra.join(', '), 'sets keys that structured options own',
        'use the structured option for those keys instead of extraConfig');
    }
    requireNetworkInterfaces(scope, `${prop}.networkInterfaces`, o.networkInterfaces ?? []);
    if (o.networkData !== undefined && o.networkData.trim().length === 0) {
      throw propError(scope, `${prop}.networkData`, o.networkData, 'must not be empty', 'give a network-config document or leave networkData out');
    }
    const bytes = Buffer.byteLength(this._renderUserData(true) ?? '') + Buffer.byteLength(this._renderNetworkData() ?? '');
    if (bytes > MAX_SECRET_DATA) {
      throw propError(scope, prop, `${bytes} bytes`, 'is larger than a Kubernetes Secret can hold (1 MiB)',
        'fetch large content at boot (runcmd with curl, or a package) instead of embedding it');
    }
  }

  /**
   * The cloud-config keys of `extraConfig` that set the guest's host name
   * (`hostname`, `fqdn`), which would be the same in every VM sharing the data.
   * @internal
   */
  public _hostNameKeys(): string[] {
    return Object.keys(this.options?.extraConfig ?? {}).filter(k => k === 'hostname' || k === 'fqdn');
  }

  /**
   * Throws the library error when the VM's `sshKeys` (which KubeVirt hands
   * to cloud-init as meta-data `public-keys`, for the default user only)
   * would reach no user because `keepDefaultUser: false` drops that user.
   * @internal
   */
  public _validateVmKeys(scope: IConstruct, prop: string): void {
    const o = this.options ?? {};
    if (this.secretRef || o.userData !== undefined || o.users === undefined || o.keepDefaultUser !== false) return;
    throw propError(scope, `${prop}.keepDefaultUser`, false,
      'drops the distribution\'s default user, the only user cloud-init gives the VM\'s sshKeys to (KubeVirt passes them as meta-data public-keys), so those keys would let nobody log in',
      'drop keepDefaultUser: false, or move the keys from sshKeys to the sshAuthorizedKeys of one of the users');
  }

  /**
   * The user data text, or undefined for a Secret reference.
   * @param vmKeys whether the VM hands SSH keys to cloud-init's default user
   * (its `sshKeys`), which keeps that user in a `users` list
   * @internal
   */
  public _renderUserData(vmKeys: boolean = false): string | undefined {
    if (this.secretRef) return undefined;
    const o = this.options ?? {};
    if (o.userData !== undefined) return o.userData;

    const config: Record<string, any> = {};
    if (o.users !== undefined) {
      const users: any[] = o.users.map(renderUser);
      const keys = vmKeys || (o.sshAuthorizedKeys ?? []).length > 0;
      config.users = (o.keepDefaultUser ?? keys) ? ['default', ...users] : users;
    }
    if (o.sshAuthorizedKeys !== undefined) config.ssh_authorized_keys = [...o.sshAuthorizedKeys];
    if (o.packageUpdate !== undefined) config.package_update = o.packageUpdate;
    if (o.packageUpgrade !== undefined) config.package_upgrade = o.packageUpgrade;
    if (o.packages !== undefined) config.packages = [...o.packages];
    if (o.bootcmd !== undefined) config.bootcmd = [...o.bootcmd];
    if (o.writeFiles !== undefined) config.write_files = o.writeFiles.map(renderFile);
    if (o.runcmd !== undefined) config.runcmd = [...o.runcmd];
    const extra = o.extraConfig ?? {};
    for (const key of Object.keys(extra).sort()) {
      config[key] = extra[key];
    }
    const body = Object.keys(config).length === 0 ? '{}\n' : Yaml.stringify(config);
    return `#cloud-config\n${body}`;
  }

  /**
   * The network data text, if any, or undefined for a Secret reference.
   * @internal
   */
  public _renderNetworkData(): string | undefined {
    if (this.secretRef) return undefined;
    const o = this.options ?? {};
    if (o.networkData !== undefined) return o.networkData;
    if (o.networkInterfaces === undefined || o.networkInterfaces.length === 0) return undefined;
    const ethernets = renderEthernets(o.networkInterfaces);
    return Yaml.stringify({ version: 2, ethernets });
  }

  private validateSecretName(scope: IConstruct, prop: string, name: string): void {
    const problem = checkDns1123Subdomain(name);
    if (problem) throw propError(scope, prop, name, problem, `use a Secret name such as '${suggestDns1123Label(name)}'`);
  }

  private validateKey(scope: IConstruct, prop: string, key: string): void {
    const problem = checkSshPublicKey(key);
    if (problem) throw propError(scope, prop, key, problem, 'give the content of a .pub file, one key per entry');
  }

}
