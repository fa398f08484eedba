/**
 * The firmware identity of a VirtualMachine: the SMBIOS UUID and serial the
 * guest sees. KubeVirt's VM mutating webhook fills both with random values
 * when a VM is created without them (v1.9.0,
 * pkg/virt-api/webhooks/mutating-webhook/mutators/vm-mutator.go:127-140), so
 * a VM recreated from the same manifest gets another identity (Windows
 * licensing and guest tools notice) and the stored VM never matches Git.
 * The library writes both itself, derived from the VM's namespace and name.
 */
import * as crypto from 'crypto';
import { IConstruct } from 'constructs';
import { propError } from '../../validation';

/**
 * The namespace UUID (RFC 4122 section 4.3) the library derives firmware
 * UUIDs in: `uuidv5(FIRMWARE_UUID_NAMESPACE, '<namespace>/<name>')` is the
 * UUID of the VM `name` in `namespace`. Fixed forever: changing it would give
 * every VM a new identity.
 */
export const FIRMWARE_UUID_NAMESPACE = '6f1b7c4e-3d2a-5b8e-9c41-0a7e5d3f2b19';

/**
 * The namespace UUID the firmware serial is derived in, the same way:
 * `uuidv5(FIRMWARE_SERIAL_NAMESPACE, '<namespace>/<name>')`.
 */
export const FIRMWARE_SERIAL_NAMESPACE = 'b3e0a9d2-7c15-5f64-8a3b-2d9c6e1f4a70';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A name-based UUID, RFC 4122 version 5 (SHA-1), of `name` in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = crypto.createHash('sha1').update(ns).update(Buffer.from(name, 'utf8')).digest();
  const b = hash.subarray(0, 16);
  b[6] = 0x50 + (b[6] % 0x10); // version 5 in the high nibble
  b[8] = 0x80 + (b[8] % 0x40); // RFC 4122 variant in the two high bits
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The firmware UUID and serial of the VM `name` in `namespace`. */
export function firmwareIdentity(namespace: string, name: string, uuid?: string): { uuid: string; serial: string } {
  return {
    uuid: uuid ?? uuidV5(FIRMWARE_UUID_NAMESPACE, `${namespace}/${name}`),
    serial: uuidV5(FIRMWARE_SERIAL_NAMESPACE, `${namespace}/${name}`),
  };
}

/**
 * Checks the `firmwareUuid` option: a UUID in its canonical lower-case form
 * (KubeVirt passes it to libvirt as the SMBIOS system UUID), not the nil UUID.
 */
export function requireFirmwareUuid(scope: IConstruct, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !UUID.test(value) || /^[0-]+$/.test(value)) {
    throw propError(scope, 'firmwareUuid', String(value),
      'must be a UUID in lower-case canonical form (8-4-4-4-12 hex digits), not the nil UUID',
      'give the UUID the guest already has, such as \'0c4b6c4e-2d1f-4f0e-9a6b-3c2d1e0f9a8b\', or drop firmwareUuid to derive one from the namespace and name');
  }
}

/**
 * Writes the firmware identity into a rendered VirtualMachine `spec`
 * (`spec.template.spec.domain.firmware.uuid` and `.serial`), next to what
 * the options put in `firmware` (the bootloader). The domain object may be
 * shared with other VMs of a fleet, so it is copied, not changed.
 */
export function withFirmwareIdentity(spec: any, identity: { uuid: string; serial: string }): any {
  const domain = spec.template.spec.domain;
  const out: any = {};
  let placed = false;
  const firmware = { ...(domain.firmware ?? {}), uuid: identity.uuid, serial: identity.serial };
  for (const key of Object.keys(domain)) {
    if (key === 'firmware') {
      out.firmware = firmware;
      placed = true;
    } else {
      if (key === 'devices' && !placed) {
        out.firmware = firmware;
        placed = true;
      }
      out[key] = domain[key];
    }
  }
  if (!placed) out.firmware = firmware;
  return { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, domain: out } } };
}
