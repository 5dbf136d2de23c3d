/**
 * The public Lambda layers that `Instrumentation.openTelemetry()` and `Instrumentation.powertools()` add,
 * as their publishers document them. This is the one place to update when a new layer version or region
 * is published: copy the values from the source pages below, update `readOn`, and run the tests
 * (test/tracing/layer-data.test.ts checks the shape of every entry).
 *
 * Never add a value that the source does not state.
 */

/** AWS Distro for OpenTelemetry (ADOT) Lambda layer for Python, with Application Signals support. */
export const OTEL_PYTHON_LAYER = {
  /** The layer's name in every region. */
  layerName: 'AWSOpenTelemetryDistroPython',
  /**
   * Where the ARNs come from: AWS's ADOT documentation, "AWS Distro for OpenTelemetry Lambda", section
   * "Lambda Layer ARNs", rendered from aws-otel/aws-otel.github.io src/config/lambdaLayerArns.js
   * (commit e256b2e4c09a9516eeb9adc5c5739a14b0cb1249 of 2026-07-22, Python layer release v0.18.0).
   * The CloudWatch Application Signals page "Enable your applications on Lambda" links to the same table.
   */
  source: 'https://aws-otel.github.io/docs/getting-started/lambda#adot-lambda-layer-arns',
  /** The day the source was read. */
  readOn: '2026-11-27',
  /**
   * The Python runtimes the layer supports, from the same page ("Supported runtimes", src/config/supportedRuntimes.js);
   * the layer is published with exactly these compatible runtimes (aws-observability/aws-otel-python-instrumentation,
   * .github/workflows/release-lambda.yml: `--compatible-runtimes python3.10 python3.11 python3.12 python3.13`).
   */
  runtimes: ['python3.10', 'python3.11', 'python3.12', 'python3.13'],
  /**
   * One layer serves both architectures (release-lambda.yml: `--compatible-architectures "arm64" "x86_64"`).
   */
  architectures: ['x86_64', 'arm64'],
  /**
   * The layer version ARN per region, verbatim from the source. me-south-1 was in earlier versions of the
   * table and is not in this one, so it is left out (a stack there must pass `layer`).
   */
  arns: {
    'af-south-1': 'arn:aws:lambda:af-south-1:904233096616:layer:AWSOpenTelemetryDistroPython:23',
    'ap-east-1': 'arn:aws:lambda:ap-east-1:888577020596:layer:AWSOpenTelemetryDistroPython:23',
    'ap-east-2': 'arn:aws:lambda:ap-east-2:412664885777:layer:AWSOpenTelemetryDistroPython:4',
    'ap-northeast-1': 'arn:aws:lambda:ap-northeast-1:615299751070:layer:AWSOpenTelemetryDistroPython:26',
    'ap-northeast-2': 'arn:aws:lambda:ap-northeast-2:615299751070:layer:AWSOpenTelemetryDistroPython:26',
    'ap-northeast-3': 'arn:aws:lambda:ap-northeast-3:615299751070:layer:AWSOpenTelemetryDistroPython:26',
    'ap-south-1': 'arn:aws:lambda:ap-south-1:615299751070:layer:AWSOpenTelemetryDistroPython:26',
    'ap-south-2': 'arn:aws:lambda:ap-south-2:796973505492:layer:AWSOpenTelemetryDistroPython:23',
    'ap-southeast-1': 'arn:aws:lambda:ap-southeast-1:615299751070:layer:AWSOpenTelemetryDistroPython:25',
    'ap-southeast-2': 'arn:aws:lambda:ap-southeast-2:615299751070:layer:AWSOpenTelemetryDistroPython:26',
    'ap-southeast-3': 'arn:aws:lambda:ap-southeast-3:039612877180:layer:AWSOpenTelemetryDistroPython:23',
    'ap-southeast-4': 'arn:aws:lambda:ap-southeast-4:713881805771:layer:AWSOpenTelemetryDistroPython:23',
    'ap-southeast-5': 'arn:aws:lambda:ap-southeast-5:152034782359:layer:AWSOpenTelemetryDistroPython:14',
    'ap-southeast-6': 'arn:aws:lambda:ap-southeast-6:313828097273:layer:AWSOpenTelemetryDistroPython:3',
    'ap-southeast-7': 'arn:aws:lambda:ap-southeast-7:980416031188:layer:AWSOpenTelemetryDistroPython:14',
    'ca-central-1': 'arn:aws:lambda:ca-central-1:615299751070:layer:AWSOpenTelemetryDistroPython:26',
    'ca-west-1': 'arn:aws:lambda:ca-west-1:595944127152:layer:AWSOpenTelemetryDistroPython:14',
    'cn-north-1': 'arn:aws-cn:lambda:cn-north-1:440179912924:layer:AWSOpenTelemetryDistroPython:14',
    'cn-northwest-1': 'arn:aws-cn:lambda:cn-northwest-1:440180067931:layer:AWSOpenTelemetryDistroPython:14',
    'eu-central-1': 'arn:aws:lambda:eu-central-1:615299751070:layer:AWSOpenTelemetryDistroPython:26',
    'eu-central-2': 'arn:aws:lambda:eu-central-2:156041407956:layer:AWSOpenTelemetryDistroPython:23',
    'eu-north-1': 'arn:aws:lambda:eu-north-1:615299751070:layer:AWSOpenTelemetryDistroPython:26',
    'eu-south-1': 'arn:aws:lambda:eu-south-1:257394471194:layer:AWSOpenTelemetryDistroPython:23',
    'eu-south-2': 'arn:aws:lambda:eu-south-2:490004653786:layer:AWSOpenTelemetryDistroPython:23',
    'eu-west-1': 'arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroPython:26',
    'eu-west-2': 'arn:aws:lambda:eu-west-2:615299751070:layer:AWSOpenTelemetryDistroPython:26',
    'eu-west-3': 'arn:aws:lambda:eu-west-3:615299751070:layer:AWSOpenTelemetryDistroPython:26',
    'il-central-1': 'arn:aws:lambda:il-central-1:746669239226:layer:AWSOpenTelemetryDistroPython:23',
    'me-central-1': 'arn:aws:lambda:me-central-1:739275441131:layer:AWSOpenTelemetryDistroPython:22',
    'mx-central-1': 'arn:aws:lambda:mx-central-1:610118373846:layer:AWSOpenTelemetryDistroPython:14',
    'sa-east-1': 'arn:aws:lambda:sa-east-1:615299751070:layer:AWSOpenTelemetryDistroPython:26',
    'us-east-1': 'arn:aws:lambda:us-east-1:615299751070:layer:AWSOpenTelemetryDistroPython:29',
    'us-east-2': 'arn:aws:lambda:us-east-2:615299751070:layer:AWSOpenTelemetryDistroPython:26',
    'us-west-1': 'arn:aws:lambda:us-west-1:615299751070:layer:AWSOpenTelemetryDistroPython:33',
    'us-west-2': 'arn:aws:lambda:us-west-2:615299751070:layer:AWSOpenTelemetryDistroPython:33',
  } as Record<string, string>,
};

/** Powertools for AWS Lambda (Python) v3, published as one layer per Python version and architecture. */
export const POWERTOOLS_PYTHON_LAYER = {
  /**
   * Where the values come from: Powertools' documentation, "Installation" / "Lambda Layer"
   * (aws-powertools/powertools-lambda-python docs/getting-started/install.md, commit
   * 33f2c8f8b8a6b9b0874f8f24f2d0592c66173b81): `arn:aws:lambda:{region}:017000801446:layer:AWSLambdaPowertoolsPythonV3-{python_version}-{x86_64|arm64}:27`,
   * with `{python_version}` the version without the period (`python313`).
   */
  source: 'https://docs.powertools.aws.dev/lambda/python/latest/getting-started/install/#lambda-layer',
  /** The day the source was read. */
  readOn: '2026-11-27',
  /** Powertools' publishing account for the commercial partition (`aws`). */
  account: '017000801446',
  /** The partition the account publishes in. China (`aws-cn`) and GovCloud (`aws-us-gov`) use other accounts: pass `layer` there. */
  partition: 'aws',
  /** The layer version the documentation names (the same in every region). */
  version: 27,
  /**
   * The Python versions with a layer: the documentation's Serverless Application Repository table lists
   * 3.10 to 3.14 for both architectures.
   */
  runtimes: ['python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14'],
  /** The architectures, as they appear in the layer name. */
  architectures: ['x86_64', 'arm64'],
  /**
   * The commercial regions the documentation's regional table (docs/includes/_layer_homepage_x86.md and
   * _layer_homepage_arm64.md) lists. Regions AWS opened later (e.g. ap-east-2, ap-southeast-5, ap-southeast-6,
   * ap-southeast-7, mx-central-1) are not listed there, so this library cannot say the layer exists in them:
   * a stack in such a region must pass `layer`.
   */
  regions: [
    'af-south-1', 'ap-east-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
    'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ca-central-1', 'ca-west-1',
    'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3',
    'il-central-1', 'me-central-1', 'me-south-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  ],
};
