import { Stack, Token } from 'aws-cdk-lib';
import * as applicationsignals from 'aws-cdk-lib/aws-applicationsignals';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct, IConstruct } from 'constructs';

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
 * same part in the same account and region fails to deploy. Where the account already has a part (enabled
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
   * Two TracingAccountSetups that create the same setting for the same concrete account and region in one
   * app: the second stack would fail to deploy.
   */
  private checkOnlyOnePerEnvironment(): string[] {
    const { account, region } = Stack.of(this);
    if (Token.isUnresolved(account) || Token.isUnresolved(region)) return [];
    const mine = this.accountParts;
    return this.node.root.node.findAll()
      .filter((c): c is TracingAccountSetup => c !== this && isTracingAccountSetup(c)
        && Stack.of(c).account === account && Stack.of(c).region === region)
      .flatMap((other) => {
        const both = other.accountParts.filter((part) => mine.includes(part));
        return both.length === 0 ? [] : [`TracingAccountSetup is deployed once per account and region, but ${both.join(', ')} `
          + `for account ${account} in ${region} also comes from ${other.node.path}. Keep one of them, or turn off the parts `
          + 'the other already creates (transactionSearch: false, logResourcePolicy: false, applicationSignalsDiscovery: false).'];
      });
  }
}

const ACCOUNT_SETUP_SYMBOL = Symbol.for('cdk-traced-lambda.TracingAccountSetup');

function isTracingAccountSetup(x: IConstruct): x is TracingAccountSetup {
  return ACCOUNT_SETUP_SYMBOL in x;
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
      throw new Error(`${path}: indexingPercentage must be a number from 0 to 100, but received ${typeof pct === 'number' ? String(pct) : JSON.stringify(pct)}. `
        + `Pass a percentage such as ${TracingAccountSetup.DEFAULT_INDEXING_PERCENTAGE} (the default, indexed at no charge) or 10.`);
    }
  }
  if (pct !== undefined && !transactionSearch) {
    throw new Error(`${path}: indexingPercentage (received ${pct}) only applies with transactionSearch, but transactionSearch is false. `
      + 'Remove indexingPercentage, or set transactionSearch: true; to change the percentage where the account already has '
      + 'Transaction Search, use the X-Ray console or `aws xray update-indexing-rule`.');
  }
  if (props.logResourcePolicyName !== undefined && !logResourcePolicy) {
    throw new Error(`${path}: logResourcePolicyName (received '${props.logResourcePolicyName}') only applies with logResourcePolicy, `
      + 'but logResourcePolicy is false. Remove logResourcePolicyName, or set logResourcePolicy: true.');
  }
  if (props.logResourcePolicyName !== undefined && !Token.isUnresolved(props.logResourcePolicyName)
    && !isValidPolicyName(props.logResourcePolicyName)) {
    throw new Error(`${path}: logResourcePolicyName must be 1 to 255 characters without ':' or '*' and without a leading, `
      + `trailing or doubled '/', but received '${props.logResourcePolicyName}'. Pass a name such as '${TracingAccountSetup.DEFAULT_LOG_RESOURCE_POLICY_NAME}'.`);
  }
  if (!transactionSearch && !logResourcePolicy && !(props.applicationSignalsDiscovery ?? false)) {
    throw new Error(`${path}: TracingAccountSetup would create nothing: transactionSearch and logResourcePolicy are false `
      + 'and applicationSignalsDiscovery is not turned on. Remove the construct, or turn on the part the account still needs.');
  }
}
