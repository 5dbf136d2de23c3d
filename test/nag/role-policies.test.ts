import { Fn } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newStack, pythonFunction } from './helper';
import { allowsActions, executionRolePolicies } from '../../lib/nag/private/role-policies';

// What the ApplicationSignalsPolicy rule reads of a function's execution role, and how it decides that a set
// of policy documents allows actions: the statement forms CloudFormation accepts, not only the ones
// aws-cdk-lib writes.

const ANY = (resource: unknown) => resource === '*';
const doc = (...statements: unknown[]) => ({ Statement: statements });

describe('allowsActions', () => {
  test('every action must be allowed by some statement on a covered resource', () => {
    const documents = [doc({ Effect: 'Allow', Action: 'logs:CreateLogStream', Resource: '*' }, { Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: ['*'] })];
    expect(allowsActions(documents, ['logs:CreateLogStream', 'logs:PutLogEvents'], ANY)).toBe(true);
    expect(allowsActions(documents, ['logs:CreateLogStream', 'logs:DeleteLogGroup'], ANY)).toBe(false);
  });

  test('a statement counts when one of its resources is covered, not only when all are', () => {
    const documents = [doc({ Effect: 'Allow', Action: 'xray:PutTraceSegments', Resource: ['arn:aws:s3:::bucket', '*'] })];
    expect(allowsActions(documents, ['xray:PutTraceSegments'], ANY)).toBe(true);
    expect(allowsActions([doc({ Effect: 'Allow', Action: 'xray:PutTraceSegments', Resource: ['arn:aws:s3:::bucket'] })], ['xray:PutTraceSegments'], ANY)).toBe(false);
  });

  test('a statement without Effect: Allow allows nothing, and a Deny naming the action wins', () => {
    expect(allowsActions([doc({ Action: 'xray:*', Resource: '*' })], ['xray:PutTraceSegments'], ANY)).toBe(false);
    expect(allowsActions([doc({ Effect: 'allow', Action: 'xray:*', Resource: '*' })], ['xray:PutTraceSegments'], ANY)).toBe(false);
    expect(allowsActions([doc({ Effect: 'Allow', Action: 'xray:*', Resource: '*' }), doc({ Effect: 'Deny', Action: 'xray:Put*', Resource: 'arn:x' })],
      ['xray:PutTraceSegments'], ANY)).toBe(false);
  });

  test('an action that is not a string (an unresolved intrinsic) matches nothing; missing documents and statements are skipped', () => {
    const documents = [undefined, null, { Statement: undefined }, doc(undefined, { Effect: 'Allow', Action: [{ Ref: 'Action' }, 'xray:PutTraceSegments'], Resource: '*' })];
    expect(allowsActions(documents, ['xray:PutTraceSegments'], ANY)).toBe(true);
    expect(allowsActions([doc({ Effect: 'Allow', Action: { Ref: 'Action' }, Resource: '*' })], ['xray:PutTraceSegments'], ANY)).toBe(false);
  });
});

describe('executionRolePolicies', () => {
  test('inline policies, AWS managed policies by name, managed and attached policies of the stack', () => {
    const { app, stack } = newStack();
    const fn = pythonFunction(stack, 'Fn');
    fn.role!.addManagedPolicy(new iam.ManagedPolicy(stack, 'Managed', { statements: [new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: ['*'] })] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments'], resources: ['*'] }));
    (fn.role!.node.defaultChild as iam.CfnRole).policies = [
      { policyName: 'inline', policyDocument: doc({ Effect: 'Allow', Action: 'logs:CreateLogStream', Resource: '*' }) },
    ];
    app.synth();

    const policies = executionRolePolicies(fn.node.defaultChild as lambda.CfnFunction)!;
    expect(policies.awsManagedPolicies).toEqual(['AWSLambdaBasicExecutionRole']);
    expect(policies.unknownManagedPolicy).toBe(false);
    const actions = policies.documents.flatMap(d => d.Statement.map((s: { Action: string }) => s.Action)).sort();
    expect(actions).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments']);
  });

  test('a managed policy it cannot see is unknown; a role outside the stack gives undefined', () => {
    const { app, stack } = newStack();
    const opaque = pythonFunction(stack, 'Opaque');
    opaque.role!.addManagedPolicy(iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Imported', Fn.importValue('PolicyArn')));
    const other = new lambda.CfnFunction(stack, 'Other', { role: Fn.importValue('RoleArn'), code: { zipFile: 'x' }, handler: 'index.handler', runtime: 'python3.13' });
    app.synth();

    const policies = executionRolePolicies(opaque.node.defaultChild as lambda.CfnFunction)!;
    expect(policies.unknownManagedPolicy).toBe(true);
    expect(policies.awsManagedPolicies).toEqual(['AWSLambdaBasicExecutionRole']);
    expect(executionRolePolicies(other)).toBeUndefined();
  });
});
