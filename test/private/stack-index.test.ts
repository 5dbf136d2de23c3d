import { CfnResource, NestedStack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { asList, referencedLogicalId, StackIndex } from '../../lib/private/stack-index';
import { newStack } from '../nag/helper';

// The one index of a stack's resources that the nag rules and the X-Ray grant look things up in.

describe('referencedLogicalId', () => {
  test('a Ref or a GetAtt names a logical id', () => {
    expect(referencedLogicalId({ Ref: 'Role' })).toBe('Role');
    expect(referencedLogicalId({ 'Fn::GetAtt': ['Role', 'Arn'] })).toBe('Role');
  });

  test('anything else names none', () => {
    for (const value of [undefined, null, 'Role', 7, {}, { Ref: { Ref: 'x' } }, { 'Fn::GetAtt': 'Role.Arn' }, { 'Fn::GetAtt': [{ Ref: 'x' }, 'Arn'] }]) {
      expect(referencedLogicalId(value)).toBeUndefined();
    }
  });
});

describe('asList', () => {
  test('a missing value is an empty list, one value a list of it, a list itself', () => {
    const list = ['a'];
    expect(asList(undefined)).toEqual([]);
    expect(asList(null)).toEqual([]);
    expect(asList('a')).toEqual(['a']);
    expect(asList(0)).toEqual([0]);
    expect(asList(list)).toBe(list);
  });
});

describe('StackIndex', () => {
  test('finds a stack\'s resources by type and logical id, not those of a nested stack', () => {
    const { stack } = newStack();
    const role = new CfnResource(stack, 'Role', { type: 'AWS::IAM::Role' });
    const nested = new NestedStack(stack, 'Nested');
    new CfnResource(nested, 'Inner', { type: 'AWS::IAM::Role' });
    const index = StackIndex.build(stack);

    expect(index.find('AWS::IAM::Role', 'Role')).toBe(role);
    expect(index.find('AWS::IAM::Policy', 'Role')).toBeUndefined();
    expect(index.find('AWS::IAM::Role', 'Inner')).toBeUndefined();
    expect(StackIndex.build(nested).find('AWS::IAM::Role', 'Inner')).toBe(nested.node.findChild('Inner'));
  });

  test('a missing logical id finds nothing, even beside a resource whose id is the word "undefined"', () => {
    const { stack } = newStack();
    new CfnResource(stack, 'undefined', { type: 'AWS::IAM::Role' });
    expect(StackIndex.build(stack).find('AWS::IAM::Role', undefined)).toBeUndefined();
  });

  test('renders each resource once', () => {
    const { stack } = newStack();
    const role = new CfnResource(stack, 'Role', { type: 'AWS::IAM::Role', properties: { RoleName: 'r' } });
    const index = StackIndex.build(stack);

    const first = index.render(role);
    expect(first.properties.RoleName).toBe('r');
    expect(index.render(role)).toBe(first);
  });

  test('every policy and managed policy attached to a role, by Ref; a role name is not a reference', () => {
    const { stack } = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const other = new iam.Role(stack, 'Other', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const statements = [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })];
    const a = new iam.Policy(stack, 'A', { roles: [role, other], statements });
    const b = new iam.ManagedPolicy(stack, 'B', { roles: [role], statements });
    new CfnResource(stack, 'ByName', { type: 'AWS::IAM::Policy', properties: { PolicyName: 'n', Roles: ['Role'], PolicyDocument: {} } });
    const index = StackIndex.build(stack);
    const roleId = stack.resolve((role.node.defaultChild as CfnResource).logicalId);

    const attached = index.policiesAttachedTo(roleId);
    expect(attached).toEqual([a.node.defaultChild, b.node.defaultChild]);
    expect(index.policiesAttachedTo(stack.resolve((other.node.defaultChild as CfnResource).logicalId))).toEqual([a.node.defaultChild]);
    expect(index.policiesAttachedTo('Role')).toEqual([]);
    // built once per index
    expect(index.policiesAttachedTo(roleId)).toBe(attached);
  });
});
