/**
 * The firmware UUID and serial the library writes so that KubeVirt's VM
 * mutator has nothing random to add: stable across synths and re-creation,
 * distinct per VM, settable (the fleet's side is in smart-clone-fleet.test.ts).
 */
import { App, Chart, Testing } from 'cdk8s';
import { BootDisk, Firmware, VirtualMachine, VirtualMachineProps } from '../../../src/compute';
import { FIRMWARE_SERIAL_NAMESPACE, FIRMWARE_UUID_NAMESPACE, uuidV5 } from '../../../src/compute/vm/firmware-identity';
import { findOne, synthValid } from '../../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';

function firmwareOf(props: Partial<VirtualMachineProps> = {}, app: App = Testing.app()): any {
  const c = new Chart(app, 'test');
  new VirtualMachine(c, 'vm', { name: 'my-vm', namespace: 'my-ns', bootDisk: BootDisk.containerDisk(IMAGE), ...props });
  return findOne(synthValid(c), 'VirtualMachine').spec.template.spec.domain.firmware;
}

describe('firmware identity', () => {
  test('is RFC 4122 version 5: the RFC\'s own DNS example', () => {
    // uuid5(NAMESPACE_DNS, 'www.example.com') as every RFC 4122 implementation computes it
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  test('is the name-based UUID of <namespace>/<name> in the documented namespaces', () => {
    expect(firmwareOf()).toEqual({
      uuid: uuidV5(FIRMWARE_UUID_NAMESPACE, 'my-ns/my-vm'),
      serial: uuidV5(FIRMWARE_SERIAL_NAMESPACE, 'my-ns/my-vm'),
    });
    expect(firmwareOf().uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('is the same on every synth, in every app (a re-created VM keeps it)', () => {
    expect(firmwareOf({}, Testing.app())).toEqual(firmwareOf({}, new App()));
  });

  test('differs by namespace and by name', () => {
    const base = firmwareOf().uuid;
    expect(firmwareOf({ namespace: 'other-ns' }).uuid).not.toBe(base);
    expect(firmwareOf({ name: 'other-vm' }).uuid).not.toBe(base);
    // the separator keeps 'a/b-c' and 'a-b/c' apart
    expect(firmwareOf({ namespace: 'a', name: 'b-c' }).uuid).not.toBe(firmwareOf({ namespace: 'a-b', name: 'c' }).uuid);
  });

  test('sits beside the bootloader the firmware option sets', () => {
    const fw = firmwareOf({ firmware: Firmware.efi({ secureBoot: false }) });
    expect(fw.bootloader).toEqual({ efi: { secureBoot: false } });
    expect(fw.uuid).toBe(uuidV5(FIRMWARE_UUID_NAMESPACE, 'my-ns/my-vm'));
  });

  test('firmwareUuid overrides the UUID and keeps the derived serial', () => {
    const fw = firmwareOf({ firmwareUuid: '0c4b6c4e-2d1f-4f0e-9a6b-3c2d1e0f9a8b' });
    expect(fw.uuid).toBe('0c4b6c4e-2d1f-4f0e-9a6b-3c2d1e0f9a8b');
    expect(fw.serial).toBe(uuidV5(FIRMWARE_SERIAL_NAMESPACE, 'my-ns/my-vm'));
  });

  test.each([
    ['not a UUID', 'my-uuid'],
    ['upper case', '0C4B6C4E-2D1F-4F0E-9A6B-3C2D1E0F9A8B'],
    ['the nil UUID', '00000000-0000-0000-0000-000000000000'],
  ])('a bad firmwareUuid (%s) is refused with the path, the prop, the value and the fix', (_what, value) => {
    expect(() => firmwareOf({ firmwareUuid: value }))
      .toThrow(new RegExp(`\\[test/vm\\] 'firmwareUuid' must be a UUID in lower-case canonical form .*, got '${value}'; give the UUID the guest already has`));
  });
});
