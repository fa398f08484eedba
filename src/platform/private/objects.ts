import { ApiObject } from 'cdk8s';
import { ImagePullPolicy, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { INT32_MAX, propError } from '../../validation';
import { SyncWave } from '../sync-wave';

/** Pod Security Admission levels. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** Namespace labelled with the Pod Security level its pods need. */
export function namespace(
  scope: Construct, id: string, name: string, level: PodSecurityLevel, labels: { [key: string]: string } = {},
): k8s.KubeNamespace {
  return new k8s.KubeNamespace(scope, id, {
    metadata: {
      name,
      labels: {
        ...labels,
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/audit': level,
        'pod-security.kubernetes.io/warn': level,
      },
    },
  });
}

/** Subject for a service account. */
export function saSubject(name: string, ns: string): k8s.Subject {
  return { kind: 'ServiceAccount', name, namespace: ns };
}

/** A component's service account (construct id `ServiceAccount`), returned as the subject to bind roles to. */
export function serviceAccount(scope: Construct, name: string, ns: string, labels?: { [key: string]: string }): k8s.Subject {
  new k8s.KubeServiceAccount(scope, 'ServiceAccount', { metadata: { name, namespace: ns, ...(labels ? { labels } : {}) } });
  return saSubject(name, ns);
}

/** The restricted-profile pod security context (non-root, default seccomp). */
export const RESTRICTED_POD: k8s.PodSecurityContext = {
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The restricted-profile container security context. */
export const RESTRICTED_CONTAINER: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Checks a replica count. */
export function requireReplicas(scope: Construct, prop: string, value: number | undefined, def: number): number {
  const v = value ?? def;
  if (!Number.isInteger(v) || v < 1) {
    throw propError(scope, prop, v, 'must be a whole number of at least 1', `set '${prop}' to 1 or more (default ${def}), or switch the component off`);
  }
  if (v > INT32_MAX) {
    throw propError(scope, prop, v, `must be at most ${INT32_MAX}, the largest value of its int32 API field`, `set '${prop}' to ${INT32_MAX} or less`);
  }
  return v;
}

/** Pull policy as the API spells it. */
export function pullPolicy(p: ImagePullPolicy | undefined): string {
  return p ?? ImagePullPolicy.IF_NOT_PRESENT;
}

/**
 * Gives every API object of a component its Argo CD wave: CRDs first, the
 * operator's custom resource (`primary`) after the controllers, and all other
 * objects (namespaces, RBAC, controllers) in between.
 */
export function applyWaves(scope: Construct, primary?: ApiObject): void {
  for (const c of scope.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    let wave = SyncWave.CONTROLLERS;
    if (c.kind === 'CustomResourceDefinition') wave = SyncWave.CRDS;
    else if (c === primary) wave = SyncWave.CUSTOM_RESOURCES;
    SyncWave.annotate(c, wave);
  }
}
