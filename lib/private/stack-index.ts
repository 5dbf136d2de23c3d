import { CfnResource, Stack } from 'aws-cdk-lib';
import { renderResource, RenderedResource } from './cfn';

/** The logical id a resolved `{ Ref: id }` or `{ 'Fn::GetAtt': [id, attr] }` points to, if it is one. */
export function referencedLogicalId(value: any): string | undefined {
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') return value.Ref;
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  }
  return undefined;
}

/** A value that CloudFormation accepts as a single item or a list, as a list. */
export function asList(value: any): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The policy resource types that can attach statements to a role through their `Roles` property. */
const ROLE_POLICY_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'];

/**
 * The resources of one stack (nested stacks excluded), indexed once by type and logical id, with each
 * resource rendered at most once. Build one per look (`StackIndex.build`) while the tree can still change,
 * or keep one for a whole read-only pass (the nag pack keeps one per stack and `validateScope` run).
 */
export class StackIndex {
  /** Walks `stack` once. */
  public static build(stack: Stack): StackIndex {
    return new StackIndex(stack);
  }

  private readonly byKey = new Map<string, CfnResource>();
  private readonly byType = new Map<string, CfnResource[]>();
  private readonly renderings = new Map<CfnResource, RenderedResource>();
  private policiesByRole?: Map<string, CfnResource[]>;

  private constructor(public readonly stack: Stack) {
    for (const c of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(c) || Stack.of(c) !== stack) continue;
      const type = c.cfnResourceType;
      this.byKey.set(`${type} ${stack.resolve(c.logicalId)}`, c);
      const list = this.byType.get(type);
      if (list) list.push(c);
      else this.byType.set(type, [c]);
    }
  }

  /** The resource of `type` with `logicalId` in this stack, if the stack defines it. */
  public find(type: string, logicalId: string | undefined): CfnResource | undefined {
    return logicalId === undefined ? undefined : this.byKey.get(`${type} ${logicalId}`);
  }

  /** The resource as CloudFormation will see it (rendered once per index). */
  public render(resource: CfnResource): RenderedResource {
    let rendered = this.renderings.get(resource);
    if (!rendered) {
      rendered = renderResource(resource);
      this.renderings.set(resource, rendered);
    }
    return rendered;
  }

  /** The `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` resources whose `Roles` reference the role `roleLogicalId`. */
  public policiesAttachedTo(roleLogicalId: string): CfnResource[] {
    if (!this.policiesByRole) {
      this.policiesByRole = new Map();
      for (const type of ROLE_POLICY_TYPES) {
        for (const policy of this.byType.get(type) ?? []) {
          for (const role of asList(this.render(policy).properties.Roles)) {
            const id = referencedLogicalId(role);
            if (id === undefined) continue;
            const list = this.policiesByRole.get(id);
            if (list) list.push(policy);
            else this.policiesByRole.set(id, [policy]);
          }
        }
      }
    }
    return this.policiesByRole.get(roleLogicalId) ?? [];
  }
}
