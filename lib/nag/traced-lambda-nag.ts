import { CfnResource, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
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
    // A TracingAspect grants while aspects run, possibly on a role visited before its function: look again once
    // every aspect has run (validation comes after them), before the validation plugins such as cdk-nag's packs.
    scope.node.addValidation({ validate: () => { acknowledgeIn(scope); return []; } });
  }

  private constructor() {}
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
      ? [MANAGED_POLICY_FINDING, TracedLambdaNag.MANAGED_POLICY_REASON]
      : ['AwsSolutions-IAM5[Resource::*]', TracedLambdaNag.WILDCARD_RESOURCE_REASON];
    const done = ACKNOWLEDGED.get(resource) ?? new Set<string>();
    if (!done.has(id)) {
      Validations.of(resource).acknowledge({ id, reason });
      done.add(id);
      ACKNOWLEDGED.set(resource, done);
    }
  }
}

/**
 * The X-Ray managed policy's ARN as cdk-nag's IAM4 rule names it in its finding id. This library adds the ARN
 * as aws-cdk-lib's `ManagedPolicy.fromAwsManagedPolicyName(...).managedPolicyArn`, which aws-cdk-lib (2.276.0)
 * always builds with the `AWS::Partition` reference, even where partition literals are on; cdk-nag's
 * `flattenCfnReference` writes that reference `<AWS::Partition>`. One form, so no flattening of our own: the
 * tests run cdk-nag's real AwsSolutions pack on region-agnostic, partition-literal and China stacks and fail
 * if aws-cdk-lib ever renders another form.
 */
const MANAGED_POLICY_FINDING = `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${XRAY_WRITE_ACCESS.managedPolicyName}]`;
