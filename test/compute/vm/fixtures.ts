/** Objects several VM suites build the same way. */
import { Construct } from 'constructs';
import { CniPlugin, Ipam, NetworkAttachmentDefinition, Route } from '../../../src/network';

/** The README's network: bridge `br1` on VLAN 1234, whereabouts from 10.123.124.0/24, in my-ns. */
export function vlanBridge(scope: Construct): NetworkAttachmentDefinition {
  return new NetworkAttachmentDefinition(scope, 'my-bridge', {
    name: 'my-bridge',
    namespace: 'my-ns',
    plugins: [CniPlugin.bridge({
      bridge: 'br1',
      vlan: 1234,
      ipam: Ipam.whereabouts({ range: '10.123.124.0/24', routes: [Route.defaultVia('10.123.124.1')] }),
    })],
  });
}
