import { RolePolicyRequirement } from './role-policy';
import { AnnotationId } from '../../contract';

/*
 * Application Signals access on the execution role: what openTelemetry({ applicationSignals: true }) grants
 * (otel.ts) and what the synth-time warning and TracedLambda-ApplicationSignalsPolicy accept (otel-conflicts.ts).
 * Its own module so that neither of those imports the other.
 */

/** The AWS managed policy Application Signals needs on the execution role. */
export const APPLICATION_SIGNALS_POLICY = 'CloudWatchLambdaApplicationSignalsExecutionRolePolicy';

/**
 * Application Signals on the execution role, granted once per role by the same rule as the X-Ray grant
 * (`ensureRolePolicy`): an earlier grant, the policy attached by the user, or AdministratorAccess stands.
 */
export const APPLICATION_SIGNALS_ACCESS: RolePolicyRequirement = {
  // `TracedLambdaApplicationSignalsMANAGED_POLICY` under the role marks the grant.
  constructId: 'TracedLambdaApplicationSignals',
  description: 'CloudWatch Application Signals access',
  managedPolicyName: APPLICATION_SIGNALS_POLICY,
  equivalentManagedPolicies: ['AdministratorAccess'],
  equivalentPolicyPrefixes: [],
  // Only the managed policy counts here: the TracedLambda-ApplicationSignalsPolicy rule also accepts statements.
  actions: [],
  notGrantedWarningId: AnnotationId.APPLICATION_SIGNALS_POLICY_NOT_ATTACHED,
  keptInfoId: AnnotationId.APPLICATION_SIGNALS_POLICY_KEPT,
};
