import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { TracedFunction, TracedFunctionProps } from '../../lib';

/** A stack in `region`, or region-agnostic without one. */
export function stackIn(region?: string, props: StackProps = {}): Stack {
  return new Stack(new App(), 'Stack', { ...props, env: region ? { region } : undefined });
}

/** A TracedFunction with only `code`, `handler` and `runtime` (Python 3.13), plus what the test adds. */
export function tracedFunction(scope: Construct, props: Partial<TracedFunctionProps> = {}, id = 'Fn'): TracedFunction {
  return new TracedFunction(scope, id, {
    code: lambda.Code.fromInline('def handler(event, context):\n    return None\n'),
    handler: 'index.handler',
    runtime: lambda.Runtime.PYTHON_3_13,
    ...props,
  });
}

/** The properties of the stack's one function resource. */
export function functionProperties(stack: Stack, id?: string): any {
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  const entries = Object.entries(functions).filter(([logicalId]) => id === undefined || logicalId.startsWith(id));
  expect(entries).toHaveLength(1);
  return (entries[0][1] as any).Properties;
}

/** The stack's environment variables of its one function. */
export function variables(stack: Stack): Record<string, string> {
  return functionProperties(stack).Environment?.Variables ?? {};
}
