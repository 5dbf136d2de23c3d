import { App, AspectPriority, Aspects, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagRuleCompliance } from 'cdk-nag';
import { Construct, IConstruct } from 'constructs';
import { TracingChecks } from '../../lib/nag/tracing-checks';
import { TracingAspect, TracingAspectProps } from '../../lib/tracing/tracing-aspect';

/** One finding of the pack: rule id, severity and the construct path of the resource. */
export interface Finding {
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
}

/** A fresh app and stack with a fixed environment. */
export function newStack(): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  return { app, stack };
}

/** Adds the TracingAspect the way the docs say to. */
export function addTracingAspect(scope: IConstruct, props?: TracingAspectProps): void {
  Aspects.of(scope).add(new TracingAspect(props), { priority: AspectPriority.MUTATING });
}

/** Synthesizes the app (so aspects run) and returns the pack's findings, sorted. */
export function findings(app: App): Finding[] {
  app.synth();
  const report = new TracingChecks().validateScope(app);
  return report.violations
    .flatMap(v => v.violatingResources.map(r => ({ rule: v.ruleName, severity: v.severity ?? '', path: r.constructPath ?? '' })))
    .sort((a, b) => `${a.rule} ${a.path}`.localeCompare(`${b.rule} ${b.path}`));
}

const synthesized = new WeakSet<App>();

/** Synthesizes the app (once; build every construct first) and runs one rule on one resource. */
export function check(app: App, rule: (node: CfnResource) => NagRuleCompliance, node: IConstruct): NagRuleCompliance {
  if (!synthesized.has(app)) {
    app.synth();
    synthesized.add(app);
  }
  return rule(CfnResource.isCfnResource(node) ? node : node.node.defaultChild as CfnResource);
}

/** A small inline Python function. */
export function pythonFunction(scope: Construct, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.PYTHON_3_13,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(event, context):\n    return event\n'),
    ...props,
  });
}

/** An L2 role that Lambda can assume. */
export function lambdaRole(scope: Construct, id: string, props: Partial<iam.RoleProps> = {}): iam.Role {
  return new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), ...props });
}

/** A minimal L1 Python function with the execution role `role` (an ARN). */
export function l1Function(scope: Construct, id: string, role: string): lambda.CfnFunction {
  return new lambda.CfnFunction(scope, id, { role, code: { zipFile: 'x' }, handler: 'index.handler', runtime: 'python3.13' });
}
