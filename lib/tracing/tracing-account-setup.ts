import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as applicationsignals from 'aws-cdk-lib/aws-applicationsignals';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct, IConstruct } from 'constructs';
import { AnnotationId, ErrorId } from '../contract';
import { TracedLambdaError } from '../private/error';

// Sources (read 2026-11-27):
// - "Using Transaction Search with AWS CloudFormation", Amazon CloudWatch User Guide:
//   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Transaction-Search-Cloudformation.html
//   (the two resources, the resource policy document below, and "add the dependency to ensure the
//   resource policy is created first"; "make sure Transaction Search is disabled before you enable it
//   using AWS CDK or AWS CloudFormation").
// - AWS::XRay::TransactionSearchConfig, CloudFormation template reference: IndexingPercentage, Number,
//   minimum 0, maximum 100:
//   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-xray-transactionsearchconfig.html
// - "Enable Transaction Search": 1% of ingested spans are indexed as trace summaries at no charge by default:
//   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Transaction-Search-getting-started.html
// - AWS::ApplicationSignals::Discovery (no properties; creates the AWSServiceRoleForCloudWatchApplicationSignals
//   service-linked role):
//   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-applicationsignals-discovery.html
// - AWS::Logs::ResourcePolicy: PolicyName 1-255 characters, pattern ^([^:*\/]+\/?)*[^:*\/]+$; up to 10 resource
//   policies per account and region:
//   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-resourcepolicy.html

/**
 * Whether `name` is a valid AWS::Logs::ResourcePolicy PolicyName: 1 to 255 characters matching the documented
 * pattern, checked as "'/'-separated non-empty segments without ':' or '*'" (the pattern itself backtracks
 * exponentially on a long invalid name).
 */
function isValidPolicyName(name: string): boolean {
  return name.length >= 1 && name.length <= 255 && name.split('/').every((segment) => /^[^:*]+$/.test(segment));
}

/**
 * Properties for TracingAccountSetup.
 */
export interface TracingAccountSetupProps {
  /**
   * Whether to enable X-Ray Transaction Search (an `AWS::XRay::TransactionSearchConfig`), which sends all
   * spans to the `aws/spans` CloudWatch Logs log group and indexes `indexingPercentage` of them.
   *
   * Set `false` where the account already has Transaction Search enabled in this region (in the console,
   * the CLI or another stack): creating the resource there fails the deployment.
   *
   * @default true
   */
  readonly transactionSearch?: boolean;

  /**
   * The percentage of spans that Transaction Search indexes as trace summaries, from 0 to 100.
   *
   * Only with `transactionSearch`. 1% is indexed at no charge; more is billed.
   *
   * @default 1
   */
  readonly indexingPercentage?: number;

  /**
   * Whether to create the CloudWatch Logs resource policy (`AWS::Logs::ResourcePolicy`) that lets X-Ray
   * write spans to `aws/spans` and `/aws/application-signals/data`.
   *
   * Set `false` where the account already has such a policy in this region (CloudWatch Logs allows at
   * most 10 resource policies per account and region). Transaction Search does not work without one.
   *
   * @default true
   */
  readonly logResourcePolicy?: boolean;

  /**
   * The name of the CloudWatch Logs resource policy.
   *
   * Only with `logResourcePolicy`.
   *
   * @default 'TransactionSearchAccess' (the name in AWS's documentation)
   */
  readonly logResourcePolicyName?: string;

  /**
   * Whether to enable CloudWatch Application Signals discovery (`AWS::ApplicationSignals::Discovery`),
   * which creates the `AWSServiceRoleForCloudWatchApplicationSignals` service-linked role.
   *
   * Needed once per account before functions with `Instrumentation.openTelemetry({ applicationSignals: true })`
   * show up in Application Signals. Leave it `false` where the account has it already.
   *
   * @default false
   */
  readonly applicationSignalsDiscovery?: boolean;
}

/**
 * Account-level tracing setup: X-Ray Transaction Search, the CloudWatch Logs resource policy it needs,
 * and (optionally) CloudWatch Application Signals discovery.
 *
 * **Deploy it once per account and region**, in one stack (for example a small "observability" stack),
 * not in every application stack: each part is an account-wide setting, and a second stack creating the
 * same part in the same account and region fails to deploy. Two TracingAccountSetups of one app that create
 * the same part are an error when their stacks name the same account and region, and a warning
 * (`AnnotationId.ACCOUNT_SETUP_MAY_CONFLICT`) when an account or region is not fixed (`env` unset), so that both
 * may deploy to the same place. Where the account already has a part (enabled
 * in the console, or by another tool), turn that part off with `transactionSearch: false`,
 * `logResourcePolicy: false` or `applicationSignalsDiscovery: false`.
 *
 * The Transaction Search configuration depends on the resource policy, so CloudFormation creates the
 * policy first, as AWS's documentation requires.
 */
export class TracingAccountSetup extends Construct {
  /** The default name of the CloudWatch Logs resource policy, as in AWS's documentation. */
  public static readonly DEFAULT_LOG_RESOURCE_POLICY_NAME = 'TransactionSearchAccess';

  /** The default percentage of spans indexed by Transaction Search (the share indexed at no charge). */
  public static readonly DEFAULT_INDEXING_PERCENTAGE = 1;

  /** The Transaction Search configuration (construct id `TransactionSearchConfig`), unless turned off. */
  public readonly transactionSearchConfig?: xray.CfnTransactionSearchConfig;

  /** The CloudWatch Logs resource policy for X-Ray (construct id `LogResourcePolicy`), unless turned off. */
  public readonly resourcePolicy?: logs.ResourcePolicy;

  /** The Application Signals discovery (construct id `ApplicationSignalsDiscovery`), if turned on. */
  public readonly discovery?: applicationsignals.CfnDiscovery;

  /** The account-wide settings this instance creates, for the once-per-environment check. */
  private readonly accountParts: string[] = [];

  constructor(scope: Construct, id: string, props: TracingAccountSetupProps = {}) {
    super(scope, id);
    checkProps(this.node.path, props);
    Object.defineProperty(this, ACCOUNT_SETUP_SYMBOL, { value: true });

    if (props.logResourcePolicy ?? true) {
      const resourcePolicyName = props.logResourcePolicyName ?? TracingAccountSetup.DEFAULT_LOG_RESOURCE_POLICY_NAME;
      this.resourcePolicy = new logs.ResourcePolicy(this, 'LogResourcePolicy', {
        resourcePolicyName,
        policyStatements: [xrayWriteToSpansStatement(Stack.of(this))],
      });
      this.accountParts.push(`the CloudWatch Logs resource policy '${resourcePolicyName}'`);
    }

    if (props.transactionSearch ?? true) {
      this.transactionSearchConfig = new xray.CfnTransactionSearchConfig(this, 'TransactionSearchConfig', {
        indexingPercentage: props.indexingPercentage ?? TracingAccountSetup.DEFAULT_INDEXING_PERCENTAGE,
      });
      if (this.resourcePolicy) {
        // X-Ray must be allowed to write to aws/spans before Transaction Search is switched on.
        this.transactionSearchConfig.node.addDependency(this.resourcePolicy);
      }
      this.accountParts.push('Transaction Search');
    }

    if (props.applicationSignalsDiscovery ?? false) {
      this.discovery = new applicationsignals.CfnDiscovery(this, 'ApplicationSignalsDiscovery');
      this.accountParts.push('Application Signals discovery');
    }

    this.node.addValidation({ validate: () => this.checkOnlyOnePerEnvironment() });
  }

  /**
   * Two TracingAccountSetups of one app that create the same setting: an error when both stacks name the same
   * account and region (the second stack would fail to deploy); a warning, on the later one in the tree, when
   * an account or region is not fixed and the two may therefore deploy to the same place.
   */
  private checkOnlyOnePerEnvironment(): string[] {
    const here = Stack.of(this);
    let before = true;
    for (const other of this.node.root.node.findAll()) {
      if (other === this) {
        before = false;
        continue;
      }
      if (!isTracingAccountSetup(other)) continue;
      const both = other.accountParts.filter((part) => this.accountParts.includes(part));
      const overlap = environmentOverlap(here, Stack.of(other));
      if (both.length === 0 || overlap === 'different') continue;
      const parts = both.join(', ');
      if (overlap === 'same') {
        throw new TracedLambdaError(ErrorId.ACCOUNT_SETUP_DUPLICATE, this, 'TracingAccountSetup is deployed once per account and region, '
          + `but ${parts} for account ${here.account} in ${here.region} also comes from ${other.node.path}. Fix: keep one of them, `
          + 'or turn off the parts the other already creates (transactionSearch: false, logResourcePolicy: false, applicationSignalsDiscovery: false).');
      }
      if (before) {
        // A second synthesis adds no second warning: aws-cdk-lib keeps one copy of an identical message.
        Annotations.of(this).addWarningV2(AnnotationId.ACCOUNT_SETUP_MAY_CONFLICT, `${this.node.path}: ${parts} also comes from `
          + `${other.node.path}, and the account or region of ${describeEnvironment(here)} and ${describeEnvironment(Stack.of(other))} `
          + 'is not fixed, so both may deploy to the same account and region, where the second deployment fails. Give both stacks '
          + 'an env with account and region, keep one setup, or turn off in one of them the parts the other creates.');
      }
    }
    return [];
  }
}

const ACCOUNT_SETUP_SYMBOL = Symbol.for('cdk-traced-lambda.TracingAccountSetup');

function isTracingAccountSetup(x: IConstruct): x is TracingAccountSetup {
  return ACCOUNT_SETUP_SYMBOL in x;
}

/**
 * Whether two stacks deploy to the same account and region: `same` when both name the same ones, `different`
 * when a fixed account or region differs, `maybe` when neither holds (an account or region is a token).
 */
function environmentOverlap(a: Stack, b: Stack): 'same' | 'different' | 'maybe' {
  let fixed = true;
  for (const [x, y] of [[a.account, b.account], [a.region, b.region]]) {
    if (Token.isUnresolved(x) || Token.isUnresolved(y)) {
      fixed = false;
    } else if (x !== y) {
      return 'different';
    }
  }
  return fixed ? 'same' : 'maybe';
}

/** A stack and its environment as a message names them: `stack 'A' (account 111122223333, region not fixed)`. */
function describeEnvironment(stack: Stack): string {
  const part = (name: string, value: string) => (Token.isUnresolved(value) ? `${name} not fixed` : `${name} ${value}`);
  return `stack '${stack.node.path}' (${part('account', stack.account)}, ${part('region', stack.region)})`;
}

/** The statement of AWS's documented policy: X-Ray may put log events into its two log groups, for this account only. */
function xrayWriteToSpansStatement(stack: Stack): iam.PolicyStatement {
  const logGroupArn = (name: string) => `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${name}:*`;
  return new iam.PolicyStatement({
    sid: 'TransactionSearchXRayAccess',
    effect: iam.Effect.ALLOW,
    principals: [new iam.ServicePrincipal('xray.amazonaws.com')],
    actions: ['logs:PutLogEvents'],
    resources: [logGroupArn('aws/spans'), logGroupArn('/aws/application-signals/data')],
    conditions: {
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:xray:${stack.region}:${stack.account}:*` },
      StringEquals: { 'aws:SourceAccount': stack.account },
    },
  });
}

function checkProps(path: string, props: TracingAccountSetupProps): void {
  const transactionSearch = props.transactionSearch ?? true;
  const logResourcePolicy = props.logResourcePolicy ?? true;
  const pct = props.indexingPercentage;
  if (pct !== undefined && !Token.isUnresolved(pct)) {
    if (typeof pct !== 'number' || !Number.isFinite(pct) || pct < 0 || pct > 100) {
      throw new TracedLambdaError(ErrorId.INDEXING_PERCENTAGE_INVALID, path,
        `indexingPercentage must be a number from 0 to 100, but received ${typeof pct === 'number' ? String(pct) : JSON.stringify(pct)}. `
        + `Fix: pass a percentage such as ${TracingAccountSetup.DEFAULT_INDEXING_PERCENTAGE} (the default, indexed at no charge) or 10.`);
    }
  }
  if (pct !== undefined && !transactionSearch) {
    throw new TracedLambdaError(ErrorId.ACCOUNT_SETUP_OPTION_UNUSED, path,
      `indexingPercentage (received ${pct}) only applies with transactionSearch, but transactionSearch is false. `
      + 'Fix: remove indexingPercentage, or set transactionSearch: true; to change the percentage where the account already has '
      + 'Transaction Search, use the X-Ray console or `aws xray update-indexing-rule`.');
  }
  if (props.logResourcePolicyName !== undefined && !logResourcePolicy) {
    throw new TracedLambdaError(ErrorId.ACCOUNT_SETUP_OPTION_UNUSED, path,
      `logResourcePolicyName (received '${props.logResourcePolicyName}') only applies with logResourcePolicy, `
      + 'but logResourcePolicy is false. Fix: remove logResourcePolicyName, or set logResourcePolicy: true.');
  }
  if (props.logResourcePolicyName !== undefined && !Token.isUnresolved(props.logResourcePolicyName)
    && !isValidPolicyName(props.logResourcePolicyName)) {
    throw new TracedLambdaError(ErrorId.LOG_RESOURCE_POLICY_NAME_INVALID, path,
      'logResourcePolicyName must be 1 to 255 characters without \':\' or \'*\' and without a leading, '
      + `trailing or doubled '/', but received ${JSON.stringify(props.logResourcePolicyName)}. Fix: pass a name such as '${TracingAccountSetup.DEFAULT_LOG_RESOURCE_POLICY_NAME}'.`);
  }
  if (!transactionSearch && !logResourcePolicy && !(props.applicationSignalsDiscovery ?? false)) {
    throw new TracedLambdaError(ErrorId.ACCOUNT_SETUP_EMPTY, path,
      'TracingAccountSetup would create nothing: received transactionSearch: false and logResourcePolicy: false, '
      + 'and applicationSignalsDiscovery is not turned on. Fix: remove the construct, or turn on the part the account still needs.');
  }
}
