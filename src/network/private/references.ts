import { ErrorScope, propError, requireInterface } from '../../validation';
import { INetworkAttachmentDefinition } from '../network-attachment-definition-ref';

const FIX = 'pass a NetworkAttachmentDefinition construct, or NetworkAttachmentDefinition.fromNetworkName() for an existing one';

/** Throws the library error unless `value` is a NetworkAttachmentDefinition reference. */
export function requireNetworkAttachmentDefinition(scope: ErrorScope, prop: string, value: unknown): asserts value is INetworkAttachmentDefinition {
  requireInterface(scope, prop, value, 'INetworkAttachmentDefinition', ['node', 'name', 'namespace', 'networkName'], FIX);
  if (typeof (value as INetworkAttachmentDefinition).networkName !== 'string') {
    throw propError(scope, prop, value, 'must be an INetworkAttachmentDefinition with a networkName string', FIX);
  }
}
