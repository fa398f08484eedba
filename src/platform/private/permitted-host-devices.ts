/** Checks and rendering of the KubeVirt CR's host device settings. */
import { IConstruct } from 'constructs';
import { propError, propPath } from '../../validation';
import { optionalArray, optionalBoolean, optionalStringMap, requireString, requireStruct } from '../../validation/types';
import { MediatedDevicesConfiguration, PermittedHostDevices } from '../permitted-host-devices';

const RESOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;

/** Checks the permitted devices; throws the library error. */
export function optionalPermittedHostDevices(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined) return;
  const p = requireStruct<PermittedHostDevices>(scope, prop, value as PermittedHostDevices);
  const seen = new Set<string>();
  const resource = (entryProp: string, name: unknown) => {
    requireString(scope, propPath(entryProp, 'resourceName'), name);
    if (!RESOURCE_NAME.test(name)) {
      throw propError(scope, propPath(entryProp, 'resourceName'), name, 'must be a resource name such as \'nvidia.com/TU104GL_Tesla_T4\'', 'use vendor-domain/name');
    }
    if (seen.has(name)) throw propError(scope, propPath(entryProp, 'resourceName'), name, 'is permitted twice', 'list each resource name once');
    seen.add(name);
  };
  optionalArray(scope, propPath(prop, 'pciHostDevices'), p.pciHostDevices, (entry, ep) => {
    const d = requireStruct<any>(scope, ep, entry);
    requireString(scope, propPath(ep, 'pciVendorSelector'), d.pciVendorSelector);
    if (!/^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$/.test(d.pciVendorSelector)) {
      throw propError(scope, propPath(ep, 'pciVendorSelector'), d.pciVendorSelector, 'must be a vendor:device id pair in hex', 'use the pair lspci -nn shows, e.g. \'10de:1eb8\'');
    }
    resource(ep, d.resourceName);
    optionalBoolean(scope, propPath(ep, 'externalResourceProvider'), d.externalResourceProvider);
  });
  optionalArray(scope, propPath(prop, 'mediatedDevices'), p.mediatedDevices, (entry, ep) => {
    const d = requireStruct<any>(scope, ep, entry);
    requireString(scope, propPath(ep, 'mdevNameSelector'), d.mdevNameSelector);
    if (d.mdevNameSelector.trim() === '') throw propError(scope, propPath(ep, 'mdevNameSelector'), d.mdevNameSelector, 'must not be empty', 'give the mdev type name, e.g. \'GRID T4-1Q\'');
    resource(ep, d.resourceName);
    optionalBoolean(scope, propPath(ep, 'externalResourceProvider'), d.externalResourceProvider);
  });
}

/** Checks the mediated devices configuration; throws the library error. */
export function optionalMediatedDevicesConfiguration(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined) return;
  const c = requireStruct<MediatedDevicesConfiguration>(scope, prop, value as MediatedDevicesConfiguration);
  const types = (p: string, list: unknown) => optionalArray(scope, p, list, (t, tp) => {
    requireString(scope, tp, t);
    if (t.trim() === '') throw propError(scope, tp, t, 'must not be empty', 'give a type such as \'nvidia-222\'');
  });
  types(propPath(prop, 'mediatedDeviceTypes'), c.mediatedDeviceTypes);
  optionalArray(scope, propPath(prop, 'nodeMediatedDeviceTypes'), c.nodeMediatedDeviceTypes, (entry, ep) => {
    const n = requireStruct<any>(scope, ep, entry);
    optionalStringMap(scope, propPath(ep, 'nodeSelector'), n.nodeSelector);
    if (n.nodeSelector === undefined || Object.keys(n.nodeSelector).length === 0) {
      throw propError(scope, propPath(ep, 'nodeSelector'), n.nodeSelector, 'must select nodes by at least one label', 'give node labels, e.g. { \'nvidia.com/gpu.product\': \'Tesla-T4\' }');
    }
    if (types(propPath(ep, 'mediatedDeviceTypes'), n.mediatedDeviceTypes).length === 0) {
      throw propError(scope, propPath(ep, 'mediatedDeviceTypes'), n.mediatedDeviceTypes, 'must list at least one type', 'give the types to create on these nodes');
    }
  });
}

/** Renders the permitted devices. */
export function renderPermittedHostDevices(p: PermittedHostDevices): any {
  const out: any = {};
  const entry = (selectorKey: string, selector: string, d: { resourceName: string; externalResourceProvider?: boolean }) => {
    const e: any = {};
    if (d.externalResourceProvider !== undefined) e.externalResourceProvider = d.externalResourceProvider;
    e[selectorKey] = selector;
    e.resourceName = d.resourceName;
    return e;
  };
  if (p.mediatedDevices && p.mediatedDevices.length > 0) out.mediatedDevices = p.mediatedDevices.map(d => entry('mdevNameSelector', d.mdevNameSelector, d));
  if (p.pciHostDevices && p.pciHostDevices.length > 0) out.pciHostDevices = p.pciHostDevices.map(d => entry('pciVendorSelector', d.pciVendorSelector.toLowerCase(), d));
  return out;
}

/** Renders the mediated devices configuration. */
export function renderMediatedDevicesConfiguration(c: MediatedDevicesConfiguration): any {
  const out: any = {};
  if (c.mediatedDeviceTypes && c.mediatedDeviceTypes.length > 0) out.mediatedDeviceTypes = [...c.mediatedDeviceTypes];
  if (c.nodeMediatedDeviceTypes && c.nodeMediatedDeviceTypes.length > 0) {
    out.nodeMediatedDeviceTypes = c.nodeMediatedDeviceTypes.map(n => ({
      mediatedDeviceTypes: [...n.mediatedDeviceTypes], nodeSelector: { ...n.nodeSelector },
    }));
  }
  return out;
}
