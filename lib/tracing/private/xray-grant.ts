import { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ensureRolePolicy, EnsureOptions, GrantForm, grantsOn, RolePolicyRequirement } from './role-policy';
import { AnnotationId } from '../../contract';
import { XRayPermissions } from '../xray-permissions';

/**
 * X-Ray write access, as a `RolePolicyRequirement`: what TracedFunction, the TracingAspect and the
 * TracedLambda-XRayWriteAccess rule all check and grant.
 */
export const XRAY_WRITE_ACCESS: RolePolicyRequirement = {
  // `TracedLambdaXRayWriteAccess<MANAGED_POLICY|LEAST_PRIVILEGE>` under the role: in logical ids since 0.0.0.
  constructId: 'TracedLambdaXRayWriteAccess',
  description: 'X-Ray write access',
  managedPolicyName: 'AWSXRayDaemonWriteAccess',
  // AWSXrayWriteOnlyAccess: the older name of the same grant; AWSXrayFullAccess: xray:*.
  equivalentManagedPolicies: ['AWSXrayWriteOnlyAccess', 'AWSXrayFullAccess'],
  // The customer managed policy the Lambda console creates when you turn on active tracing there
  // (service-role/AWSLambdaTracerAccessExecutionRole-<id>); it allows exactly the two actions.
  equivalentPolicyPrefixes: ['AWSLambdaTracerAccessExecutionRole-'],
  actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  notGrantedWarningId: AnnotationId.XRAY_PERMISSIONS_NOT_GRANTED,
  keptInfoId: AnnotationId.XRAY_PERMISSIONS_KEPT,
};

/** The grant form of an `XRayPermissions` choice. */
export function xrayGrantForm(permissions: XRayPermissions): GrantForm {
  return permissions === XRayPermissions.LEAST_PRIVILEGE ? 'statement' : 'managed-policy';
}

/**
 * Grants X-Ray write access to a function's execution role once per role, whatever already grants it
 * (`ensureRolePolicy` with `XRAY_WRITE_ACCESS`).
 */
export function grantXRayWrite(scope: IConstruct, role: iam.IRole | CfnResource | undefined, permissions: XRayPermissions,
  dependent?: CfnResource, options: EnsureOptions = {}): void {
  ensureRolePolicy(scope, role, XRAY_WRITE_ACCESS, xrayGrantForm(permissions), dependent, options);
}

/** The X-Ray grants this library made on `resource` (an `AWS::IAM::Role` or `AWS::IAM::Policy`). */
export function xrayGrantsOn(resource: CfnResource): XRayPermissions[] {
  return grantsOn(resource)
    .filter(g => g.constructId === XRAY_WRITE_ACCESS.constructId)
    .map(g => g.form === 'statement' ? XRayPermissions.LEAST_PRIVILEGE : XRayPermissions.MANAGED_POLICY);
}
