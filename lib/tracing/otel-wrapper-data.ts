/**
 * What the AWSOpenTelemetryDistroPython layer's wrapper script (`/opt/otel-instrument`) does with the
 * instrumentation variables, per release and mode, read from the layer's own sources. The layer ARNs and
 * versions live in layer-data.ts; this file only describes the wrapper of each release.
 *
 * Never add a value that the source does not state. Behaviour is tested against copies of the wrapper
 * itself (test/otel-wrapper/fixtures), not against this reading of it.
 */

/** Where one value comes from. */
export interface WrapperSource {
  /** GitHub repository. */
  readonly repository: string;
  /** File in it. */
  readonly path: string;
  /** The release tag. */
  readonly tag: string;
  /** The tag's commit. */
  readonly commit: string;
  /** The commit's date. */
  readonly committedOn: string;
  /** The day it was read. */
  readonly readOn: string;
}

/** One release of the layer's wrapper, as its sources say. */
export interface WrapperRelease {
  /** The release tag, e.g. `v0.19.0`. */
  readonly release: string;
  /**
   * Full mode (the default): the list `otel-instrument` exports as `OTEL_PYTHON_DISABLED_INSTRUMENTATIONS` when the
   * variable is unset or empty, verbatim and in its order. A value the function sets replaces it whole.
   */
  readonly disabledByDefault: readonly string[];
  /**
   * Full mode: instrumentations the layer installs that are not in `disabledByDefault`, so they load unless
   * disabled. Named by their `opentelemetry_instrumentor` entry points (see `onByDefaultSources`).
   */
  readonly onByDefault: readonly string[];
  /** What `onByDefault` is read from. */
  readonly onByDefaultSources: readonly string[];
  /**
   * The instrumentation the wrapper always appends to the disabled list in full mode (`,aws-lambda`): the
   * layer's `otel_wrapper.py` instruments the handler itself.
   */
  readonly alwaysDisabled: string;
  /**
   * Fast start (`OTEL_AWS_LAMBDA_FAST_START=true`): the only instrumentations the lite SDK turns on
   * (`configure_lite_mode()`'s `enabled` set), minus `OTEL_PYTHON_DISABLED_INSTRUMENTATIONS`. Undefined: the
   * release has no fast start.
   */
  readonly fastStartEnabled?: readonly string[];
  /** The wrapper script read. */
  readonly wrapper: WrapperSource;
  /** The lite SDK read (releases with fast start). */
  readonly liteSdk?: WrapperSource;
  /**
   * The distro's own reading of `OTEL_AWS_APPLICATION_SIGNALS_ENABLED` (`_is_application_signals_enabled()`),
   * the answer `applicationSignalsEnabled` follows.
   */
  readonly applicationSignalsRule: WrapperSource;
}

const REPOSITORY = 'aws-observability/aws-otel-python-instrumentation';
const WRAPPER_PATH = 'lambda-layer/src/otel-instrument';
const LITE_SDK_PATH = 'aws-opentelemetry-distro/src/amazon/opentelemetry/distro/opentelemetry_lite_sdk.py';
const CONFIGURATOR_PATH = 'aws-opentelemetry-distro/src/amazon/opentelemetry/distro/aws_opentelemetry_configurator.py';
const READ_ON = '2026-12-03';

/** v0.18.0's default list (otel-instrument line 134), verbatim. */
const V0_18_0_DISABLED = ('aio-pika,aiohttp-client,aiohttp-server,aiopg,asgi,asyncio,asyncpg,boto,boto3,cassandra,celery,'
  + 'confluent_kafka,dbapi,django,elasticsearch,falcon,fastapi,flask,grpc_client,grpc_server,grpc_aio_client,grpc_aio_server,'
  + 'httpx,jinja2,kafka,logging,mysql,mysqlclient,pika,psycopg,psycopg2,pymemcache,pymongo,pymysql,pyramid,redis,remoulade,'
  + 'requests,sklearn,sqlalchemy,sqlite3,starlette,system_metrics,threading,tornado,tortoiseorm,wsgi,openai_agents,'
  + 'aws_openai_agents,aws_crewai,aws_langchain,aws_mcp,aws_llama-index').split(',');

/** v0.19.0's default list (otel-instrument line 140): v0.18.0's without `elasticsearch`, whose package v0.19.0 dropped. */
const V0_19_0_DISABLED = V0_18_0_DISABLED.filter(name => name !== 'elasticsearch');

/**
 * Installed (aws-opentelemetry-distro/pyproject.toml dependencies at each tag) and not default-disabled. Entry
 * point names: botocore, urllib3, requests and boto3sqs from the lite SDK's `_instrumentors` table (v0.19.0);
 * urllib and aiokafka from open-telemetry/opentelemetry-python-contrib
 * instrumentation/opentelemetry-instrumentation-{urllib,aiokafka}/pyproject.toml (`[project.entry-points.opentelemetry_instrumentor]`).
 * The layer's README (lambda-layer/README.md, "Configuration") names botocore as on by default.
 */
const ON_BY_DEFAULT = ['botocore', 'urllib3', 'urllib', 'aiokafka', 'boto3sqs'];
const ON_BY_DEFAULT_SOURCES = [
  `${REPOSITORY} aws-opentelemetry-distro/pyproject.toml (dependencies) at the release tag`,
  `${REPOSITORY} ${LITE_SDK_PATH} (_instrumentors) at v0.19.0`,
  'open-telemetry/opentelemetry-python-contrib instrumentation/opentelemetry-instrumentation-urllib/pyproject.toml (commit dcbf1fd9bb01f74e5a94706c68c2956b0c8991a0)',
  'open-telemetry/opentelemetry-python-contrib instrumentation/opentelemetry-instrumentation-aiokafka/pyproject.toml (commit 65278f9524f6b4d74130d5b55cf05ce42e03c69d)',
];

/** The wrapper of every layer release this library knows, oldest first. */
export const OTEL_WRAPPER_RELEASES: readonly WrapperRelease[] = [
  {
    release: 'v0.18.0',
    disabledByDefault: V0_18_0_DISABLED,
    onByDefault: ON_BY_DEFAULT,
    onByDefaultSources: ON_BY_DEFAULT_SOURCES,
    alwaysDisabled: 'aws-lambda',
    wrapper: {
      repository: REPOSITORY,
      path: WRAPPER_PATH,
      tag: 'v0.18.0',
      commit: '7a6a929b263b3f87619a6bf49169aa9d935238a2',
      committedOn: '2026-06-19',
      readOn: READ_ON,
    },
    // `_is_application_signals_enabled()`, line 746.
    applicationSignalsRule: {
      repository: REPOSITORY,
      path: CONFIGURATOR_PATH,
      tag: 'v0.18.0',
      commit: '7a6a929b263b3f87619a6bf49169aa9d935238a2',
      committedOn: '2026-06-19',
      readOn: READ_ON,
    },
  },
  {
    release: 'v0.19.0',
    disabledByDefault: V0_19_0_DISABLED,
    onByDefault: ON_BY_DEFAULT,
    onByDefaultSources: ON_BY_DEFAULT_SOURCES,
    alwaysDisabled: 'aws-lambda',
    // configure_lite_mode(): `enabled = {"botocore", "requests", "urllib3"}`; every other entry of its table is skipped.
    fastStartEnabled: ['botocore', 'requests', 'urllib3'],
    wrapper: {
      repository: REPOSITORY,
      path: WRAPPER_PATH,
      tag: 'v0.19.0',
      commit: '821465a9a34fd04250b4b248411544eaae43c467',
      committedOn: '2026-07-22',
      readOn: READ_ON,
    },
    liteSdk: {
      repository: REPOSITORY,
      path: LITE_SDK_PATH,
      tag: 'v0.19.0',
      commit: '821465a9a34fd04250b4b248411544eaae43c467',
      committedOn: '2026-07-22',
      readOn: READ_ON,
    },
    // `_is_application_signals_enabled()`, line 741; the lite SDK's `UdpSpanExporter.__init__` (line 667) reads the
    // variable by the same rule: `os.environ.get("OTEL_AWS_APPLICATION_SIGNALS_ENABLED", "false").lower() == "true"`.
    applicationSignalsRule: {
      repository: REPOSITORY,
      path: CONFIGURATOR_PATH,
      tag: 'v0.19.0',
      commit: '821465a9a34fd04250b4b248411544eaae43c467',
      committedOn: '2026-07-22',
      readOn: READ_ON,
    },
  },
];

/**
 * Whether the AWSOpenTelemetryDistroPython layer sends Application Signals for a function whose
 * `OTEL_AWS_APPLICATION_SIGNALS_ENABLED` is `value` (undefined: not set). The same answer for every release above.
 *
 * Two programs read the variable, in turn:
 * 1. The wrapper (`otel-instrument`): when the value is unset or empty it exports `true`; then only when the value
 *    is exactly `true` (case-sensitive) does it export `OTEL_PYTHON_DISTRO=aws_distro` and
 *    `OTEL_PYTHON_CONFIGURATOR=aws_configurator`. Any other value it keeps as it is and exports neither, so
 *    `opentelemetry-instrument` loads whichever distro and configurator its entry points list first (the layer
 *    installs both AWS's and opentelemetry-distro's). As it always exports the variable, the distro's fallback to
 *    the deprecated `OTEL_AWS_APP_SIGNALS_ENABLED` never applies under the layer.
 * 2. The distro (`_is_application_signals_enabled()` in aws_opentelemetry_configurator.py, and the v0.19.0 lite
 *    SDK for fast start): on iff `value.lower() == "true"`.
 *
 * The distro wins: it is the code that sends Application Signals; the wrapper only fills the empty value and
 * picks the configurator. So unset or empty is on (the wrapper's default, which the distro then reads), `true` in
 * any case is on, and anything else (`yes`, `1`, `0`, `false`) is off whatever the wrapper does. For `True` or
 * `TRUE` the wrapper selects no configurator, but the distro reads them as on whenever its code runs (always
 * with fast start), so they are read as on: the safe side for a check that the role may write the data.
 *
 * Sources: `wrapper` and `applicationSignalsRule` of each release (read 2026-12-03; the rule is unchanged on the
 * repository's main branch at commit 8395e7d0ae26ac77491185ee942e9ef2b5f562e3, 2026-08-14). Tested against the
 * wrapper itself (test/otel-wrapper/application-signals.test.ts).
 */
export function applicationSignalsEnabled(value: string | undefined): boolean {
  if (value === undefined || value === '') return true;
  return value.toLowerCase() === 'true';
}

/** The first release with fast start (`OTEL_AWS_LAMBDA_FAST_START`, upstream PR #789). */
export const FAST_START_FIRST_RELEASE = 'v0.19.0';

/** The release `tag` (`v0.19.0`), or undefined. */
export function wrapperRelease(tag: string): WrapperRelease | undefined {
  return OTEL_WRAPPER_RELEASES.find(r => r.release === tag);
}

/** The newest release this file describes. */
export function newestWrapperRelease(): WrapperRelease {
  return OTEL_WRAPPER_RELEASES[OTEL_WRAPPER_RELEASES.length - 1];
}

/** Whether release `a` (`v0.19.0`) is `b` or later; false if either is not a `vX.Y.Z` tag. */
export function releaseAtLeast(a: string, b: string): boolean {
  const parse = (tag: string) => /^v(\d+)\.(\d+)\.(\d+)$/.exec(tag)?.slice(1).map(Number);
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return false;
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) return pa[i] > pb[i];
  }
  return true;
}
