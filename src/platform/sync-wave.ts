import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { propError, requireConstruct, requireInstance, Shape } from '../validation';

/** Annotation Argo CD reads to order the objects of one sync. */
const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** What builds a SyncWave, for the fix of a wrong one. */
const WAVE_FACTORIES = 'SyncWave.CRDS, CONTROLLERS, CUSTOM_RESOURCES, WORKLOADS or SyncWave.of(n)';
/** Scopes already registered for late annotation. */
const REGISTERED = new WeakSet<IConstruct>();

/**
 * An Argo CD sync wave: Argo CD applies lower waves first and waits for them
 * to be healthy. The platform uses four waves so one Argo CD application can
 * hold the whole cluster: CRDs (-3), then controllers (-2: namespaces, RBAC,
 * operator Deployments and DaemonSets), then the operators' custom resources
 * (-1: `KubeVirt`, `CDI`), then workloads (0, Argo CD's default wave).
 *
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 */
export class SyncWave {
  /** The annotation key, `argocd.argoproj.io/sync-wave`. */
  public static readonly ANNOTATION = SYNC_WAVE_ANNOTATION;
  /** CustomResourceDefinitions: applied first so every kind exists. */
  public static readonly CRDS = new SyncWave(-3);
  /** Namespaces, RBAC, operator Deployments and DaemonSets. */
  public static readonly CONTROLLERS = new SyncWave(-2);
  /** The operators' configuration objects (`KubeVirt`, `CDI`). */
  public static readonly CUSTOM_RESOURCES = new SyncWave(-1);
  /** Networks, images and VMs: applied once the platform is up. */
  public static readonly WORKLOADS = new SyncWave(0);

  /**
   * Any other wave.
   * @param wave whole number; lower waves are applied first
   */
  public static of(wave: number): SyncWave {
    Shape.number(undefined, 'wave', wave);
    if (!Number.isInteger(wave)) {
      throw propError(undefined, 'wave', wave, 'must be a whole number', 'use an integer such as -1, 0 or 5');
    }
    return new SyncWave(wave);
  }

  /**
   * Annotates every API object under `scope` (a chart, usually one holding
   * workloads) with the wave. Objects added later are annotated at synthesis;
   * objects that already carry a sync-wave annotation keep theirs.
   * @param scope construct whose API objects get the wave
   * @param wave the wave to give them
   */
  public static apply(scope: IConstruct, wave: SyncWave): void {
    requireConstruct(undefined, 'scope', scope);
    requireInstance(scope, 'wave', wave, SyncWave, WAVE_FACTORIES);
    const annotateAll = () => {
      for (const c of scope.node.findAll()) {
        if (c instanceof ApiObject) SyncWave.annotate(c, wave, false);
      }
    };
    annotateAll();
    if (!REGISTERED.has(scope)) {
      REGISTERED.add(scope);
      scope.node.addValidation({ validate: () => { annotateAll(); return []; } });
    }
  }

  /**
   * Sets the wave of one API object.
   * @param obj the API object
   * @param wave the wave
   * @param overwrite replace a wave already set
   */
  public static annotate(obj: ApiObject, wave: SyncWave, overwrite: boolean = true): void {
    if (!ApiObject.isApiObject(obj)) {
      throw propError(undefined, 'obj', obj, 'must be an ApiObject', 'pass an API object, e.g. ApiObject.of(construct) or one made with new ApiObject()');
    }
    requireInstance(obj, 'wave', wave, SyncWave, WAVE_FACTORIES);
    Shape.optBoolean(obj, 'overwrite', overwrite);
    if (!overwrite && obj.metadata.toJson()?.annotations?.[SYNC_WAVE_ANNOTATION] !== undefined) return;
    obj.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, wave.value);
  }

  /** The annotation value, e.g. `-3`. */
  public readonly value: string;

  private constructor(wave: number) {
    this.value = String(wave);
  }
}
