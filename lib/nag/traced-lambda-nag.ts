import { AspectPriority, Aspects, CfnResource, IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { rawCfnProperties } from '../private/cfn';
import { XRAY_WRITE_ACCESS, xrayGrantsOn } from '../tracing/private/xray-grant';
import { XRayPermissions } from '../tracing/xray-permissions';

/**
 * cdk-nag helpers for the findings this library's own constructs create.
 *
 * The X-Ray grant that `TracedFunction` and `TracingAspect` add is, by design, what AwsSolutions flags:
 * - `XRayPermissions.MANAGED_POLICY`: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSXRayDaemonWriteAccess]`
 *   on the execution role;
 * - `XRayPermissions.LEAST_PRIVILEGE`: `AwsSolutions-IAM5[Resource::*]` on the policy that holds only the
 *   X-Ray statement (the X-Ray write actions have no resource-level permissions).
 */
export class TracedLambdaNag {
  /** The reason recorded with the IAM4 acknowledgement. */
  public static readonly MANAGED_POLICY_REASON = 'AWSXRayDaemonWriteAccess is the AWS managed policy that the Lambda documentation '
    + 'prescribes for active tracing; it allows only the X-Ray write actions (segments, telemetry, sampling) and AWS '
    + 'keeps it current. Added by cdk-traced-lambda.';

  /** The reason recorded with the IAM5 acknowledgement. */
  public static readonly WILDCARD_RESOURCE_REASON = 'xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level '
    + 'permissions: IAM only accepts "*" for them. This policy holds only that statement. Added by cdk-traced-lambda.';

  /**
   * Acknowledges, with their reasons, exactly the AwsSolutions findings that this library's X-Ray grants
   * create in `scope`, and nothing else: not the role's other managed policies, not another statement's
   * wildcard (the least-privilege X-Ray statement lives in a policy of its own).
   *
   * Call it on a function, a stack or the whole app. Grants that a `TracingAspect` adds later, during
   * synthesis, are acknowledged then too. Python: `TracedLambdaNag.acknowledge_xray_findings(scope)`.
   *
   * @param scope the construct whose subtree to look in
   */
  public static acknowledgeXrayFindings(scope: IConstruct): void {
    acknowledgeIn(scope);
    // TracingAspect grants while aspects run (MUTATING); acknowledge those once they exist.
    Aspects.of(scope).add(new AcknowledgeXRayFindings(), { priority: AspectPriority.READONLY });
  }

  private constructor() {}
}

class AcknowledgeXRayFindings implements IAspect {
  public visit(node: IConstruct): void {
    for (const resource of grantHolders(node)) {
      acknowledgeResource(resource);
    }
  }
}

const ACKNOWLEDGED = new WeakMap<CfnResource, Set<string>>();

function acknowledgeIn(scope: IConstruct): void {
  for (const c of scope.node.findAll()) {
    for (const resource of grantHolders(c)) {
      acknowledgeResource(resource);
    }
  }
}

/**
 * The resources that may hold an X-Ray grant made for `node`: the node itself, and for a function the
 * resources of its execution role, which may live outside the function's subtree (a role passed in).
 */
function grantHolders(node: IConstruct): CfnResource[] {
  const holders = CfnResource.isCfnResource(node) ? [node] : [];
  if (node instanceof lambda.Function && node.role) {
    holders.push(...node.role.node.findAll().filter(CfnResource.isCfnResource));
  }
  return holders;
}

function acknowledgeResource(resource: CfnResource): void {
  for (const grant of xrayGrantsOn(resource)) {
    const [id, reason] = grant === XRayPermissions.MANAGED_POLICY
      ? [`AwsSolutions-IAM4[Policy::${managedPolicyFinding(resource)}]`, TracedLambdaNag.MANAGED_POLICY_REASON]
      : ['AwsSolutions-IAM5[Resource::*]', TracedLambdaNag.WILDCARD_RESOURCE_REASON];
    const done = ACKNOWLEDGED.get(resource) ?? new Set<string>();
    if (!done.has(id)) {
      Validations.of(resource).acknowledge({ id, reason });
      done.add(id);
      ACKNOWLEDGED.set(resource, done);
    }
  }
}

/** The managed policy ARN as cdk-nag's IAM4 rule names it (CloudFormation references flattened to `<Ref>`). */
function managedPolicyFinding(resource: CfnResource): string {
  const stack = Stack.of(resource);
  const arns: unknown = stack.resolve((resource as unknown as { managedPolicyArns?: unknown }).managedPolicyArns)
    ?? stack.resolve(rawCfnProperties(resource).ManagedPolicyArns);
  const flat = Array.isArray(arns) ? arns.map(flatten) : [];
  const suffix = `:iam::aws:policy/${XRAY_WRITE_ACCESS.managedPolicyName}`;
  return flat.find(arn => arn.endsWith(suffix)) ?? `arn:<AWS::Partition>${suffix}`;
}

function flatten(node: unknown): string {
  if (typeof node === 'string') {
    return node.replace(/\${/g, '<').replace(/}/g, '>');
  }
  if (node && typeof node === 'object') {
    const o = node as Record<string, any>;
    if (Array.isArray(o['Fn::Join'])) {
      const [delimiter, items] = o['Fn::Join'];
      return (items as unknown[]).map(flatten).join(delimiter);
    }
    if (o.Ref !== undefined) {
      return `<${flatten(o.Ref)}>`;
    }
    if (Array.isArray(o['Fn::GetAtt'])) {
      return `<${flatten(o['Fn::GetAtt'][0])}.${flatten(o['Fn::GetAtt'][1])}>`;
    }
    if (o['Fn::Sub'] !== undefined) {
      return flatten(o['Fn::Sub']);
    }
  }
  return JSON.stringify(node);
}
