import { CfnResource, Stack } from 'aws-cdk-lib';

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
 * `{ Resources: { [logicalId]: { Type, Properties, Metadata, ... } } }` with tokens unresolved. If a future
 * aws-cdk-lib changes either, this file is the only place to adapt, and test/tracing + test/nag fail first.
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

/**
 * The resource's CloudFormation definition as it will be synthesized (property overrides included),
 * resolved with `Stack.of(resource).resolve`. Works for typed L1s and raw `CfnResource`s alike.
 */
export function renderResource(resource: CfnResource): RenderedResource {
  const rendered = Stack.of(resource).resolve(resource._toCloudFormation()) as { Resources?: Record<string, any> };
  const definition = Object.values(rendered.Resources ?? {})[0] ?? {};
  return { properties: definition.Properties ?? {}, metadata: definition.Metadata ?? {} };
}
