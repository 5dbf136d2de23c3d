import { Annotations, CfnResource, IAspect, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { grantXRayWrite, grantXRayWriteToCfnRole, hasXRayGrant, warnXRayNotGranted } from './private/xray-grant';
import { XRayPermissions } from './xray-permissions';

/**
 * Properties for a TracingAspect.
 */
export interface TracingAspectProps {
  /**
   * The tracing mode to turn on: `Tracing.ACTIVE` or `Tracing.PASS_THROUGH`.
   *
   * A function that already has a tracing mode keeps it (a user-set value wins); if that mode is
   * `PassThrough` while this is `Active`, a warning names the function.
   *
   * @default lambda.Tracing.ACTIVE
   */
  readonly tracing?: lambda.Tracing;

  /**
   * How each function's execution role gets X-Ray write access.
   *
   * @default XRayPermissions.MANAGED_POLICY
   */
  readonly xrayPermissions?: XRayPermissions;

  /**
   * Construct path prefixes of functions to leave alone (e.g. `MyStack/Legacy`).
   *
   * A prefix matches the path of the `lambda.Function` or `AWS::Lambda::Function` resource itself; for a
   * `SingletonFunction` that is `<Stack>/<SingletonLambda...>`, not the path of the `SingletonFunction`.
   * Each excluded function gets an info annotation.
   *
   * @default - no function is excluded by path
   */
  readonly excludePaths?: string[];

  /**
   * Leave alone the functions that aws-cdk-lib creates for its own custom resources.
   *
   * Recognised by their construct ids, which aws-cdk-lib keeps stable: `AWS679f53fac002430cb0da5b7982bd2287`
   * (AwsCustomResource), `Custom::CDKBucketDeployment<uuid>` (BucketDeployment), `LogRetention<uuid>`,
   * `BucketNotificationsHandler<uuid>`, and any `...CustomResourceProvider` (core `CustomResourceProvider`).
   * Each excluded function gets an info annotation.
   *
   * @default false
   */
  readonly excludeCdkInternalFunctions?: boolean;
}


const CDK_INTERNAL_IDS: RegExp[] = [
  /^AWS679f53fac002430cb0da5b7982bd2287$/,
  /^Custom::CDKBucketDeployment[0-9A-Fa-f]{32}/,
  /^LogRetention[0-9a-f]{32}$/,
  /^BucketNotificationsHandler[0-9a-f]{32}$/,
  /CustomResourceProvider$/,
];

/**
 * Turns on Lambda tracing for every function in a scope and grants X-Ray write access to their roles.
 *
 * Handles L2 `lambda.Function`s (and subclasses such as `TracedFunction` or `NodejsFunction`),
 * `SingletonFunction`s, L1 `CfnFunction`s and raw `AWS::Lambda::Function` `CfnResource`s (which aws-cdk-lib's
 * `CustomResourceProvider` makes). Safe to apply twice, and on top of `TracedFunction`: it adds no grant a
 * role already has from this library. No function is skipped silently: one that cannot get the grant gets a
 * warning saying what to attach, and one left out by `excludePaths` or `excludeCdkInternalFunctions` gets an info.
 *
 * @example
 * Aspects.of(app).add(new TracingAspect(), { priority: AspectPriority.MUTATING });
 */
export class TracingAspect implements IAspect {
  /** Info id on functions the aspect left out because the user asked it to (`excludePaths`, `excludeCdkInternalFunctions`). */
  public static readonly EXCLUDED_INFO = 'cdk-traced-lambda:tracingAspectExcluded';
  /** Warning id on functions that keep a `PassThrough` mode set on them while the aspect asks for `Active`. */
  public static readonly MODE_KEPT_WARNING = 'cdk-traced-lambda:tracingModeKept';

  private readonly mode: string;
  private readonly permissions: XRayPermissions;
  private readonly excludePaths: string[];
  private readonly excludeCdkInternal: boolean;

  constructor(props: TracingAspectProps = {}) {
    const tracing = props.tracing ?? lambda.Tracing.ACTIVE;
    if (tracing === lambda.Tracing.DISABLED) {
      throw new Error('TracingAspect: tracing must be Tracing.ACTIVE or Tracing.PASS_THROUGH, got Tracing.DISABLED. '
        + 'To leave functions untraced, do not add the aspect, or use excludePaths.');
    }
    this.mode = tracing;
    this.permissions = props.xrayPermissions ?? XRayPermissions.MANAGED_POLICY;
    this.excludePaths = props.excludePaths ?? [];
    this.excludeCdkInternal = props.excludeCdkInternalFunctions ?? false;
  }

  /**
   * Traces `node` if it is a Lambda function; ignores anything else.
   */
  public visit(node: IConstruct): void {
    if (node instanceof lambda.SingletonFunction) {
      // The real function lives at the stack root; it may be outside the scope this aspect was added to.
      const fn = Stack.of(node).node.tryFindChild(node.constructName);
      if (fn instanceof lambda.Function) this.traceFunction(fn);
    } else if (node instanceof lambda.Function) {
      this.traceFunction(node);
    } else if (CfnResource.isCfnResource(node) && node.cfnResourceType === 'AWS::Lambda::Function'
      && !(node.node.scope instanceof lambda.Function)) {
      this.traceCfnResource(node);
    }
  }

  private traceFunction(fn: lambda.Function) {
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    if (this.isExcluded(fn)) return;
    const existing = Stack.of(cfn).resolve(cfn.tracingConfig)?.mode;
    if (this.keepsMode(fn, existing)) {
      // fall through to the grant: the kept mode still sends traces
    } else {
      cfn.tracingConfig = { mode: this.mode };
    }
    if (fn.role && hasXRayGrant(fn.role)) return;
    grantXRayWrite(fn, fn.role, this.permissions);
  }

  private traceCfnResource(fn: CfnResource) {
    if (this.isExcluded(fn)) return;
    const stack = Stack.of(fn);
    if (fn instanceof lambda.CfnFunction) {
      if (!this.keepsMode(fn, stack.resolve(fn.tracingConfig)?.mode)) {
        fn.tracingConfig = { mode: this.mode };
      }
    } else {
      const props = rawProperties(fn);
      if (!this.keepsMode(fn, stack.resolve(props.TracingConfig)?.Mode)) {
        fn.addPropertyOverride('TracingConfig.Mode', this.mode);
      }
    }
    const roleArn = fn instanceof lambda.CfnFunction ? fn.role : rawProperties(fn).Role;
    const role = findRoleInStack(stack, stack.resolve(roleArn));
    if (!role) {
      warnXRayNotGranted(fn, `its execution role ${describeArn(stack, roleArn)} is not an AWS::IAM::Role of stack '${stack.stackName}'`, this.permissions);
      return;
    }
    const l2 = role.node.scope;
    if (l2 instanceof iam.Role && l2.node.defaultChild === role) {
      if (!hasXRayGrant(l2)) grantXRayWrite(fn, l2, this.permissions);
    } else {
      grantXRayWriteToCfnRole(fn, role, this.permissions);
    }
  }

  /** Whether `fn` keeps a tracing mode it already has; warns if that mode is weaker than asked. */
  private keepsMode(fn: IConstruct, existing: unknown): boolean {
    if (existing === undefined || existing === this.mode) return false;
    if (existing === lambda.Tracing.PASS_THROUGH && this.mode === lambda.Tracing.ACTIVE) {
      Annotations.of(fn).addWarningV2(TracingAspect.MODE_KEPT_WARNING,
        `${fn.node.path}: tracing mode 'PassThrough' set on this function was kept, although the TracingAspect asks for 'Active'. `
        + 'Remove the function\'s own tracing setting to trace it actively, or exclude it with excludePaths.');
    }
    return true;
  }

  private isExcluded(fn: IConstruct): boolean {
    const path = fn.node.path;
    const prefix = this.excludePaths.find(p => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
    if (prefix !== undefined) {
      Annotations.of(fn).addInfoV2(TracingAspect.EXCLUDED_INFO, `${path}: not traced by the TracingAspect because it is under the excluded path '${prefix}'.`);
      return true;
    }
    if (this.excludeCdkInternal && fn.node.scopes.some(s => CDK_INTERNAL_IDS.some(re => re.test(s.node.id)))) {
      Annotations.of(fn).addInfoV2(TracingAspect.EXCLUDED_INFO, `${path}: not traced by the TracingAspect because aws-cdk-lib created it for its own custom resource (excludeCdkInternalFunctions).`);
      return true;
    }
    return false;
  }
}

/** The properties a raw `CfnResource` was created with (aws-cdk-lib keeps them as given). */
function rawProperties(res: CfnResource): Record<string, any> {
  return (res as unknown as { _cfnProperties?: Record<string, any> })._cfnProperties ?? {};
}

/** The `AWS::IAM::Role` of `stack` that a resolved `Fn::GetAtt: [id, Arn]` or `Ref: id` points to, if any. */
function findRoleInStack(stack: Stack, resolved: any): CfnResource | undefined {
  const id = resolved?.['Fn::GetAtt']?.[1] === 'Arn' ? resolved['Fn::GetAtt'][0] : resolved?.Ref;
  if (typeof id !== 'string') return undefined;
  return stack.node.findAll().find((c): c is CfnResource => CfnResource.isCfnResource(c)
    && c.cfnResourceType === 'AWS::IAM::Role' && Stack.of(c) === stack && stack.resolve(c.logicalId) === id);
}

function describeArn(stack: Stack, arn: unknown): string {
  if (arn === undefined) return '(none)';
  return Token.isUnresolved(arn) ? JSON.stringify(stack.resolve(arn)) : `'${arn}'`;
}
