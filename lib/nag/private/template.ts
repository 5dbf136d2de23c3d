import { CfnResource, Stack } from 'aws-cdk-lib';
import { RenderedResource } from '../../private/cfn';
import { asList, referencedLogicalId, StackIndex } from '../../private/stack-index';

/** The resource type of the functions every rule of the pack looks at. */
export const LAMBDA_FUNCTION = 'AWS::Lambda::Function';

/** The indexes of the current `validateScope` run, one per stack; undefined outside a run. */
let runIndexes: WeakMap<Stack, StackIndex> | undefined;

/**
 * Runs `run` with one index per stack, built on first use and dropped when `run` returns: the pack's rules
 * then look each stack's roles, policies and layers up once, not once per function.
 */
export function withStackIndexes<T>(run: () => T): T {
  const outer = runIndexes;
  runIndexes = new WeakMap();
  try {
    return run();
  } finally {
    runIndexes = outer;
  }
}

/**
 * The index of `node`'s stack: the run's (built once) inside `withStackIndexes`, else a fresh one (a rule
 * called on its own, e.g. in a test, always sees the current tree).
 */
export function stackIndex(node: CfnResource): StackIndex {
  const stack = Stack.of(node);
  if (!runIndexes) return StackIndex.build(stack);
  let index = runIndexes.get(stack);
  if (!index) {
    index = StackIndex.build(stack);
    runIndexes.set(stack, index);
  }
  return index;
}

/** The resource as CloudFormation will see it (overrides included, tokens resolved). */
export function resolvedResource(node: CfnResource): RenderedResource {
  return stackIndex(node).render(node);
}

/** The resource's resolved properties (an empty object if it has none). */
export function resolvedProperties(node: CfnResource): Record<string, any> {
  return resolvedResource(node).properties;
}

/**
 * The resolved properties of the function's layers that the function's own stack defines
 * (`{ Ref: id }` to an `AWS::Lambda::LayerVersion`); layers given by ARN are left out.
 */
export function sameStackLayers(fn: CfnResource, fnProperties: Record<string, any>): Record<string, any>[] {
  const index = stackIndex(fn);
  return asList(fnProperties.Layers)
    .map(layer => index.find('AWS::Lambda::LayerVersion', referencedLogicalId(layer)))
    .filter((layer): layer is CfnResource => layer !== undefined)
    .map(layer => index.render(layer).properties);
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

/** The function's `TracingConfig.Mode`, if it states one. */
export function tracingMode(fn: CfnResource): unknown {
  return resolvedProperties(fn).TracingConfig?.Mode;
}
