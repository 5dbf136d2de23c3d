/**
 * The public Lambda layers that `Instrumentation.openTelemetry()` and `Instrumentation.powertools()` add, read
 * from the generated data file (layer-data.generated.ts, written by `npm run update-layer-data` from the upstream
 * files it cites: never edit values by hand). This module shapes that data for the constructs and answers
 * "which release is this layer version" for the OpenTelemetry options.
 *
 * Where two sources disagree, the data follows the one that decides: the compatible runtimes of the ADOT layer
 * come from the release workflow that publishes it (`--compatible-runtimes`), not from the docs page's runtime
 * list, which is written by hand and lagged it (python3.14: published since v0.18.0, not on the page).
 * docs/layer-data.md has the whole story.
 */
import { LAYER_DATA } from './layer-data.generated';

/** How one upstream file was read. */
export interface SourceCitation {
  readonly repository: string;
  readonly path: string;
  readonly commit: string;
  readonly tag?: string;
  readonly commitDate?: string;
  readonly readOn: string;
}

/** One citation as one line: `owner/repo path@commit (tag, date), read D`. */
export function describeCitation(c: SourceCitation): string {
  const when = [c.tag, c.commitDate].filter(x => x !== undefined).join(', ');
  return `${c.repository} ${c.path}@${c.commit.slice(0, 12)}${when ? ` (${when})` : ''}, read ${c.readOn}`;
}

const OTEL = LAYER_DATA.openTelemetryPython;
const POWERTOOLS = LAYER_DATA.powertoolsPython;

/** AWS Distro for OpenTelemetry (ADOT) Lambda layer for Python, with Application Signals support. */
export const OTEL_PYTHON_LAYER = {
  /** The layer's name in every region. */
  layerName: OTEL.layerName as string,
  /** The ADOT Python release the ARNs belong to (e.g. `v0.18.0`). */
  release: OTEL.release as string,
  /** Where the ARNs come from, as one line. */
  source: describeCitation(OTEL.sources.arns),
  /** The day the sources were read. */
  readOn: LAYER_DATA.readOn as string,
  /** The compatible runtimes the release's workflow publishes the layer with (wins over the docs page). */
  runtimes: [...OTEL.runtimes] as string[],
  /** The compatible architectures (one layer serves both). */
  architectures: [...OTEL.architectures] as string[],
  /** The layer version ARN per region, verbatim from the source. */
  arns: { ...OTEL.arns } as Record<string, string>,
};

/** Powertools for AWS Lambda (Python) v3, published as one layer per Python version and architecture. */
export const POWERTOOLS_PYTHON_LAYER = {
  /** The start of every layer name; `-{python_version}-{architecture}` follows. */
  layerNamePrefix: POWERTOOLS.layerNamePrefix as string,
  /** Where the version and account come from, as one line. */
  source: describeCitation(POWERTOOLS.sources.version),
  /** Where the regions come from, as one line. */
  regionsSource: describeCitation(POWERTOOLS.sources.regions),
  /** The rendered documentation page of those files, for messages to users. */
  url: 'https://docs.powertools.aws.dev/lambda/python/latest/getting-started/install/#lambda-layer',
  /** The day the sources were read. */
  readOn: LAYER_DATA.readOn as string,
  /** Powertools' publishing account for the commercial partition (`aws`). */
  account: POWERTOOLS.account as string,
  /** The partition the account publishes in. China and GovCloud use other accounts: pass `layer` there. */
  partition: POWERTOOLS.partition as string,
  /** The layer version the documentation names (the same in every region). */
  version: POWERTOOLS.version as number,
  /** The Python versions with a layer (the documentation's SAR table). */
  runtimes: [...POWERTOOLS.runtimes] as string[],
  /** The architectures, as they appear in the layer name. */
  architectures: [...POWERTOOLS.architectures] as string[],
  /** The commercial regions of the documentation's regional table. */
  regions: [...POWERTOOLS.regions] as string[],
  /**
   * The public SSM parameter holding the newest layer ARN, with `{architecture}` (x86_64, arm64) and `{runtime}`
   * (python3.13: with the period, unlike the layer name) to fill in.
   */
  ssmParameter: POWERTOOLS.ssmParameter as string,
};

/** The version of the OpenTelemetry layer the data names for `region`, or undefined. */
export function openTelemetryDataVersion(region: string): number | undefined {
  if (!Object.prototype.hasOwnProperty.call(OTEL_PYTHON_LAYER.arns, region)) return undefined;
  const m = /:(\d+)$/.exec(OTEL_PYTHON_LAYER.arns[region]);
  return m ? Number(m[1]) : undefined;
}

/**
 * The ADOT Python release (e.g. `v0.18.0`) of version `version` of the AWSOpenTelemetryDistroPython layer in
 * `region` for `architecture`, as the library's data knows it: the data's release for the version it names, else
 * undefined. lib/tracing/private/layer-arns.ts `openTelemetryLayerRelease` also reads the app's versions file.
 */
export function openTelemetryDataRelease(region: string, architecture: string, version: number): string | undefined {
  if (!OTEL_PYTHON_LAYER.architectures.includes(architecture)) return undefined;
  return openTelemetryDataVersion(region) === version ? OTEL_PYTHON_LAYER.release : undefined;
}
