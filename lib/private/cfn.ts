import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/*
 * The one module that reads private aws-cdk-lib API. Nothing else in this library may touch
 * `_cfnProperties` or `_toCloudFormation`.
 *
 * Why they are needed: a raw `CfnResource` (aws-cdk-lib's `CustomResourceProvider` makes its function and
 * role that way) has no typed accessors, so the properties it was created with are only in
 * `_cfnProperties`; and the nag rules must see a resource as it will be synthesized (property overrides
 * and escape hatches included), which only `_toCloudFormation()` renders.
 *
 * Checked against aws-cdk-lib 2.262.1 and 2.276.0 (the pinned version): `CfnResource._cfnProperties` is a
 * protected field holding the properties as given (L1 classes keep typed fields instead and rebuild the
 * object in `cfnProperties`), and `CfnResource._toCloudFormation()` returns
 * `{ Resources: { [logicalId]: { Type, Properties, Metadata, ... } } }` with tokens unresolved.
 *
 * To read one property at a time (see `renderResource`), this file also reads two protected members,
 * checked against aws-cdk-lib 2.276.0: `rawOverrides` (what `addOverride` and `addPropertyOverride`
 * recorded; a resource with any is rendered whole) and `shouldSynthesize()`. test/private/cfn.test.ts
 * compares what it reads with the synthesized template. If a future aws-cdk-lib changes any of these,
 * this file is the only place to adapt, and test/private, test/tracing and test/nag fail first.
 */

/** One resource as CloudFormation will see it, tokens resolved. */
export interface RenderedResource {
  /** The resolved `Properties` (an empty object when there are none). */
  readonly properties: Record<string, any>;
  /** The resolved `Metadata` (an empty object when there is none). */
  readonly metadata: Record<string, any>;
}

/** The properties a raw `CfnResource` was created with, as given (unresolved); `{}` when it has none. */
export function rawCfnProperties(resource: CfnResource): Record<string, any> {
  return (resource as unknown as { _cfnProperties?: Record<string, any> })._cfnProperties ?? {};
}

/** The private members of `CfnResource` that rendering reads (see the comment at the top). */
interface CfnResourceInternals {
  readonly rawOverrides?: Record<string, any>;
  shouldSynthesize(): boolean;
}

/** Reads one CloudFormation property of a typed L1 from its typed field: resolves it, then maps struct keys. */
type PropertyReader = (resource: any, resolve: (value: unknown) => any) => unknown;

/** `{ camelKey: 'PascalKey' }` of a struct property, as the L1's CloudFormation mapping names them. */
function struct(field: string, keys: Record<string, string>): PropertyReader {
  return (resource, resolve) => renameKeys(resolve(resource[field]), keys);
}

function renameKeys(value: unknown, keys: Record<string, string>): unknown {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(keys)) {
    const v = (value as Record<string, unknown>)[from];
    if (v !== undefined) out[to] = v;
  }
  return out;
}

/** A list or single value kept as it resolves (strings, intrinsic functions, JSON documents). */
function plain(field: string): PropertyReader {
  return (resource, resolve) => resolve(resource[field]);
}

/**
 * The properties that the nag rules and the grant logic read, per typed L1 class, straight from the L1's
 * typed field. Resolving only these (not a function's `Code`, a role's `AssumeRolePolicyDocument`, a
 * policy's generated `PolicyName`, nor the `DependsOn` list) took TracingChecks at 160 functions from 4.6x
 * to 2.5x the time of cdk-nag's ServerlessChecks (bench/results.md, section 6); every other property, and every resource with raw overrides, is rendered whole. The mapping of
 * struct keys is the L1's own (`mode` → `Mode`); test/private/cfn.test.ts compares each reader with the
 * synthesized template.
 */
const TYPED_READERS: [new (...args: any[]) => CfnResource, Record<string, PropertyReader>][] = [
  [lambda.CfnFunction, {
    Architectures: plain('architectures'),
    Environment: struct('environment', { variables: 'Variables' }),
    Layers: plain('layers'),
    Role: plain('role'),
    Runtime: plain('runtime'),
    TracingConfig: struct('tracingConfig', { mode: 'Mode' }),
  }],
  [iam.CfnRole, {
    ManagedPolicyArns: plain('managedPolicyArns'),
    Policies: (resource, resolve) => {
      const policies = resolve(resource.policies);
      return Array.isArray(policies) ? policies.map(p => renameKeys(p, { policyDocument: 'PolicyDocument', policyName: 'PolicyName' })) : policies;
    },
  }],
  [iam.CfnPolicy, { PolicyDocument: plain('policyDocument'), Roles: plain('roles') }],
  [iam.CfnManagedPolicy, { PolicyDocument: plain('policyDocument'), Roles: plain('roles') }],
  [lambda.CfnLayerVersion, { CompatibleArchitectures: plain('compatibleArchitectures'), CompatibleRuntimes: plain('compatibleRuntimes') }],
];

/**
 * The resource's CloudFormation definition as it will be synthesized (property overrides included),
 * resolved with `Stack.of(resource).resolve`. Works for typed L1s and raw `CfnResource`s alike.
 *
 * Nothing is resolved until it is read. The properties that the rules read of a typed L1 without raw
 * overrides (`TYPED_READERS`) are resolved one by one from the L1's typed field; reading any other
 * property, listing the keys, or any resource with raw overrides (`addOverride`, `addPropertyOverride`)
 * renders the resource whole with `_toCloudFormation()`, which merges overrides exactly as synthesis does.
 */
export function renderResource(resource: CfnResource): RenderedResource {
  const stack = Stack.of(resource);
  const internals = resource as unknown as CfnResourceInternals;
  let whole: RenderedResource | undefined;
  const renderedWhole = () => whole ??= renderWhole(resource);
  const readers = Object.keys(internals.rawOverrides ?? {}).length > 0 || !internals.shouldSynthesize()
    ? undefined
    : TYPED_READERS.find(([type]) => resource instanceof type)?.[1];
  if (!readers) return renderedWhole();

  const read = new Map<string, unknown>();
  const property = (key: string): unknown => {
    const reader = readers[key];
    if (!reader) return renderedWhole().properties[key];
    if (!read.has(key)) read.set(key, reader(resource, value => stack.resolve(value)));
    return read.get(key);
  };
  const properties = new Proxy({} as Record<string, any>, {
    get: (_target, key) => typeof key === 'string' ? property(key) : undefined,
    has: (_target, key) => typeof key === 'string' && property(key) !== undefined,
    ownKeys: () => Reflect.ownKeys(renderedWhole().properties),
    getOwnPropertyDescriptor: (_target, key) => {
      const value = typeof key === 'string' ? property(key) : undefined;
      return value === undefined ? undefined : { value, enumerable: true, configurable: true, writable: false };
    },
  });
  let metadata: Record<string, any> | undefined;
  return {
    properties,
    get metadata() {
      return metadata ??= stack.resolve(resource.cfnOptions.metadata) ?? {};
    },
  };
}

/** The whole resource, rendered by aws-cdk-lib's `_toCloudFormation()` and resolved at once. */
function renderWhole(resource: CfnResource): RenderedResource {
  const rendered = Stack.of(resource).resolve(resource._toCloudFormation()) as { Resources?: Record<string, any> };
  const definition = Object.values(rendered.Resources ?? {})[0] ?? {};
  // Like the template: a property that renders to undefined is absent.
  const properties = Object.fromEntries(Object.entries(definition.Properties ?? {}).filter(([, value]) => value !== undefined));
  return { properties, metadata: definition.Metadata ?? {} };
}
