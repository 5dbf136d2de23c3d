import { Annotations, CfnResource, IAspect, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { warnNotGranted } from './private/role-policy';
import { grantXRayWrite, XRAY_WRITE_ACCESS, xrayGrantForm } from './private/xray-grant';
import { XRayPermissions } from './xray-permissions';
import { AnnotationId, ErrorId } from '../contract';
import { rawCfnProperties } from '../private/cfn';
import { TracedLambdaError } from '../private/error';
import { referencedLogicalId, StackIndex } from '../private/stack-index';

/**
 * Properties for a TracingAspect.
 */
export interface TracingAspectProps {
  /**
   * The tracing mode to turn on: `Tracing.ACTIVE` or `Tracing.PASS_THROUGH`.
   *
   * `PassThrough` is allowed: Lambda then records a segment only when the caller sampled the request (the
   * caller's sampling decision in the trace header); the TracingChecks pack reports such functions as a
   * warning. A function that already has a tracing mode keeps it (a user-set value wins); if that mode is
   * `PassThrough` while this is `Active`, a warning (`AnnotationId.TRACING_MODE_KEPT`) names the function.
   *
   * @default lambda.Tracing.ACTIVE
   */
  readonly tracing?: lambda.Tracing;

  /**
   * How each function's execution role gets X-Ray write access.
   *
   * A role that already has X-Ray write access in any form (aws-cdk-lib's statement from `tracing: ACTIVE`, an
   * AWS managed X-Ray policy, a statement allowing both write actions, an earlier grant by this library) keeps
   * it and gets no second grant; an info (`AnnotationId.XRAY_PERMISSIONS_KEPT`) says so when it differs from
   * this choice.
   *
   * @default XRayPermissions.MANAGED_POLICY
   */
  readonly xrayPermissions?: XRayPermissions;

  /**
   * Construct path prefixes of functions to leave alone (e.g. `MyStack/Legacy`).
   *
   * A prefix matches the path of the `lambda.Function` or `AWS::Lambda::Function` resource itself; for a
   * `SingletonFunction` that is `<Stack>/<SingletonLambda...>`, not the path of the `SingletonFunction`.
   * Each excluded function gets an info (`AnnotationId.TRACING_ASPECT_EXCLUDED`).
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
   * Each excluded function gets an info (`AnnotationId.TRACING_ASPECT_EXCLUDED`).
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
 * `CustomResourceProvider` makes). Safe to apply twice, and on top of `TracedFunction` or `tracing: ACTIVE`: a
 * role gets one X-Ray grant, whatever already grants it. No function is skipped silently: one that cannot get
 * the grant gets a warning saying what to attach, and one left out by `excludePaths` or
 * `excludeCdkInternalFunctions` gets an info. `Tracing.PASS_THROUGH` is allowed (see `TracingAspectProps.tracing`).
 *
 * Roles and policies are looked up once per stack, when the aspect first visits a function of that stack.
 *
 * @example
 * Aspects.of(app).add(new TracingAspect(), { priority: AspectPriority.MUTATING });
 */
export class TracingAspect implements IAspect {
  private readonly mode: string;
  private readonly permissions: XRayPermissions;
  private readonly excludePaths: string[];
  private readonly excludeCdkInternal: boolean;
  private readonly indexes = new WeakMap<Stack, StackIndex>();

  constructor(props: TracingAspectProps = {}) {
    const tracing = props.tracing ?? lambda.Tracing.ACTIVE;
    if (tracing === lambda.Tracing.DISABLED) {
      throw new TracedLambdaError(ErrorId.TRACING_DISABLED, 'TracingAspect',
        'tracing must be Tracing.ACTIVE or Tracing.PASS_THROUGH, but received tracing: Tracing.DISABLED. '
        + 'Fix: to leave functions untraced, do not add the aspect, or use excludePaths.');
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
    if (this.isExcluded(fn)) return;
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    // A kept mode (PassThrough, or Active under a PassThrough aspect) still sends traces: grant either way.
    if (!this.keepsMode(fn, Stack.of(cfn).resolve(cfn.tracingConfig)?.mode)) {
      cfn.tracingConfig = { mode: this.mode };
    }
    grantXRayWrite(fn, fn.role, this.permissions, undefined, { index: this.indexOf(Stack.of(fn)) });
  }

  private traceCfnResource(fn: CfnResource) {
    if (this.isExcluded(fn)) return;
    const stack = Stack.of(fn);
    if (fn instanceof lambda.CfnFunction) {
      if (!this.keepsMode(fn, stack.resolve(fn.tracingConfig)?.mode)) {
        fn.tracingConfig = { mode: this.mode };
      }
    } else if (!this.keepsMode(fn, stack.resolve(rawCfnProperties(fn).TracingConfig)?.Mode)) {
      fn.addPropertyOverride('TracingConfig.Mode', this.mode);
    }
    const roleArn = fn instanceof lambda.CfnFunction ? fn.role : rawCfnProperties(fn).Role;
    const index = this.indexOf(stack);
    const role = index.find('AWS::IAM::Role', referencedLogicalId(stack.resolve(roleArn)));
    if (!role) {
      warnNotGranted(fn, XRAY_WRITE_ACCESS, xrayGrantForm(this.permissions),
        `its execution role ${describeArn(stack, roleArn)} is not an AWS::IAM::Role of stack '${stack.stackName}'`);
      return;
    }
    const l2 = role.node.scope;
    const target = l2 instanceof iam.Role && l2.node.defaultChild === role ? l2 : role;
    grantXRayWrite(fn, target, this.permissions, fn, { index });
  }

  private indexOf(stack: Stack): StackIndex {
    let index = this.indexes.get(stack);
    if (!index) {
      index = StackIndex.build(stack);
      this.indexes.set(stack, index);
    }
    return index;
  }

  /** Whether `fn` keeps a tracing mode it already has; warns if that mode is weaker than asked. */
  private keepsMode(fn: IConstruct, existing: unknown): boolean {
    if (existing === undefined || existing === this.mode) return false;
    if (existing === lambda.Tracing.PASS_THROUGH && this.mode === lambda.Tracing.ACTIVE) {
      Annotations.of(fn).addWarningV2(AnnotationId.TRACING_MODE_KEPT,
        `${fn.node.path}: tracing mode 'PassThrough' set on this function was kept, although the TracingAspect asks for 'Active'. `
        + 'Its traces depend on the caller\'s sampling decision. Remove the function\'s own tracing setting to trace it actively, or exclude it with excludePaths.');
    }
    return true;
  }

  private isExcluded(fn: IConstruct): boolean {
    const path = fn.node.path;
    const prefix = this.excludePaths.find(p => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
    if (prefix !== undefined) {
      Annotations.of(fn).addInfoV2(AnnotationId.TRACING_ASPECT_EXCLUDED, `${path}: not traced by the TracingAspect because it is under the excluded path '${prefix}'.`);
      return true;
    }
    if (this.excludeCdkInternal && fn.node.scopes.some(s => CDK_INTERNAL_IDS.some(re => re.test(s.node.id)))) {
      Annotations.of(fn).addInfoV2(AnnotationId.TRACING_ASPECT_EXCLUDED, `${path}: not traced by the TracingAspect because aws-cdk-lib created it for its own custom resource (excludeCdkInternalFunctions).`);
      return true;
    }
    return false;
  }
}

function describeArn(stack: Stack, arn: unknown): string {
  if (arn === undefined) return '(none)';
  return Token.isUnresolved(arn) ? JSON.stringify(stack.resolve(arn)) : `'${arn}'`;
}
