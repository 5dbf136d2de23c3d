import { CfnResource, Stack } from 'aws-cdk-lib';

/** The resource type of the functions every rule of the pack looks at. */
export const LAMBDA_FUNCTION = 'AWS::Lambda::Function';

/**
 * The resource's CloudFormation definition as it will be synthesized (property overrides included),
 * resolved with `Stack.of(node).resolve`. Works for typed L1s and raw `CfnResource`s alike.
 */
export function resolvedResource(node: CfnResource): { Properties?: Record<string, any>; Metadata?: Record<string, any> } {
  const rendered = Stack.of(node).resolve(node._toCloudFormation()) as { Resources?: Record<string, any> };
  return Object.values(rendered.Resources ?? {})[0] ?? {};
}

/** The resource's resolved properties (an empty object if it has none). */
export function resolvedProperties(node: CfnResource): Record<string, any> {
  return resolvedResource(node).Properties ?? {};
}

/** The logical id a resolved `{ Ref: id }` or `{ 'Fn::GetAtt': [id, attr] }` points to, if it is one. */
export function referencedLogicalId(value: any): string | undefined {
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') return value.Ref;
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  }
  return undefined;
}

/** The resource of `type` with `logicalId` in the same stack as `node`, if the stack defines it. */
export function findInStack(node: CfnResource, logicalId: string | undefined, type: string): CfnResource | undefined {
  if (logicalId === undefined) return undefined;
  const stack = Stack.of(node);
  return stack.node.findAll().find((c): c is CfnResource => CfnResource.isCfnResource(c)
    && c.cfnResourceType === type && Stack.of(c) === stack && stack.resolve(c.logicalId) === logicalId);
}

/** All resources of `type` in the same stack as `node`. */
export function allInStack(node: CfnResource, type: string): CfnResource[] {
  const stack = Stack.of(node);
  return stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c)
    && c.cfnResourceType === type && Stack.of(c) === stack);
}

/** A value that CloudFormation accepts as a single item or a list, as a list. */
export function asList(value: any): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The resolved properties of the function's layers that the function's own stack defines
 * (`{ Ref: id }` to an `AWS::Lambda::LayerVersion`); layers given by ARN are left out.
 */
export function sameStackLayers(fn: CfnResource, fnProperties: Record<string, any>): Record<string, any>[] {
  return asList(fnProperties.Layers)
    .map(layer => findInStack(fn, referencedLogicalId(layer), 'AWS::Lambda::LayerVersion'))
    .filter((layer): layer is CfnResource => layer !== undefined)
    .map(resolvedProperties);
}

/**
 * Whether one of `layers` restricts `property` (`CompatibleRuntimes`, `CompatibleArchitectures`) to a list of
 * literal values that leaves out `value`. A layer that states no such list allows everything.
 */
export function someLayerExcludes(layers: Record<string, any>[], property: string, value: string): boolean {
  return layers.some(layer => {
    const compatible = asList(layer[property]);
    return compatible.length > 0 && compatible.every(v => typeof v === 'string') && !compatible.includes(value);
  });
}
