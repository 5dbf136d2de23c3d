import { ToolErrorId } from '../common/errors';
import type { PublishedLayerVersion } from 'cdk-traced-lambda';

/**
 * `layers --check`: asks AWS Lambda (GetLayerVersionByArn, AWS SDK for JavaScript v3) whether each pinned layer
 * version exists, looks ahead for newer versions (pinned+1, pinned+2, ... until one is missing, at most
 * `lookAhead`), and compares the runtimes and architectures AWS reports for the newest one with the data.
 *
 * Lambda answers a version that does not exist, or is not shared with everyone, in another account's layer with
 * AccessDeniedException naming the layer's resource-based policy (ResourceNotFoundException in one's own
 * account): both end the look-ahead. An AccessDeniedException naming the caller's identity-based policy, missing
 * or invalid credentials, throttling after the SDK's retries and timeouts stop the whole check (`AwsProblem`).
 *
 * What AWS returns (GetLayerVersionByArn): LayerVersionArn, Version, Description, CreatedDate, CompatibleRuntimes,
 * CompatibleArchitectures, LicenseInfo, Content. It does not name the release: the ADOT Python release workflow
 * publishes every release with the same description ("AWS Distro of OpenTelemetry Lambda Layer for Python Runtime").
 */

/** A problem that stops the check: printed as one line with its id, exit 2. */
export class AwsProblem extends Error {
  constructor(public readonly id: string, message: string) {
    super(`${message} [${id}]`);
    this.name = 'AwsProblem';
  }
}

/** What AWS says about one layer version. */
export interface AwsLayerVersion {
  readonly version: number;
  readonly runtimes: string[];
  readonly architectures: string[];
}

/** Reads one layer version: its facts, or undefined when it does not exist (or is not shared). Throws AwsProblem. */
export type LayerVersionReader = (region: string, arn: string) => Promise<AwsLayerVersion | undefined>;

/** The outcome for one pinned layer. */
export interface LayerCheck {
  readonly region: string;
  readonly layerName: string;
  readonly pinned: number;
  /** The pinned version exists and is public. */
  readonly pinnedExists: boolean;
  /** The newest version found, or undefined when none (not even the pinned one) exists. */
  readonly newest?: number;
  /** The release of the newest version, when the data knows it (only the pinned version's). */
  readonly newestRelease?: string;
  /** Runtimes AWS reports for the newest version that the data does not list (+) and the reverse (-). */
  readonly runtimesAdded: string[];
  readonly runtimesRemoved: string[];
  readonly architecturesAdded: string[];
  readonly architecturesRemoved: string[];
  /** Whether anything differs from the data. */
  readonly drift: boolean;
}

/** Checks `layers` with `read`, `concurrency` at a time. */
export async function checkLayers(layers: PublishedLayerVersion[], read: LayerVersionReader,
  options: { lookAhead: number; concurrency: number }): Promise<LayerCheck[]> {
  const results: LayerCheck[] = new Array(layers.length);
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < layers.length) {
      const i = next++;
      try {
        results[i] = await checkOne(layers[i], read, options.lookAhead);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, layers.length) }, worker));
  if (failed !== undefined) throw failed;
  return results;
}

async function checkOne(layer: PublishedLayerVersion, read: LayerVersionReader, lookAhead: number): Promise<LayerCheck> {
  const base = layer.layerVersionArn.slice(0, layer.layerVersionArn.lastIndexOf(':') + 1);
  const pinned = await read(layer.region, layer.layerVersionArn);
  let newest = pinned;
  for (let v = layer.version + 1; v <= layer.version + lookAhead; v++) {
    const found = await read(layer.region, `${base}${v}`);
    if (!found) break;
    newest = found;
  }
  const diff = (aws: string[] | undefined, data: string[]) => ({
    added: (aws ?? []).filter(x => !data.includes(x)).sort(),
    removed: aws === undefined ? [] : data.filter(x => !aws.includes(x)).sort(),
  });
  const runtimes = diff(newest?.runtimes, layer.compatibleRuntimes);
  const architectures = diff(newest?.architectures, layer.compatibleArchitectures);
  const newestVersion = newest?.version;
  return {
    region: layer.region,
    layerName: layer.layerName,
    pinned: layer.version,
    pinnedExists: pinned !== undefined,
    newest: newestVersion,
    newestRelease: newestVersion === layer.version ? layer.release : undefined,
    runtimesAdded: runtimes.added,
    runtimesRemoved: runtimes.removed,
    architecturesAdded: architectures.added,
    architecturesRemoved: architectures.removed,
    drift: pinned === undefined || newestVersion !== layer.version || runtimes.added.length + runtimes.removed.length
      + architectures.added.length + architectures.removed.length > 0,
  };
}

/** One line per result: `region  layer  pinned -> newest  runtimes ...`. */
export function describeCheck(c: LayerCheck): string {
  const versions = !c.pinnedExists && c.newest === undefined ? `${c.pinned} -> none found (pinned version missing or not public)`
    : !c.pinnedExists ? `${c.pinned} (missing) -> ${c.newest}`
      : c.newest === c.pinned ? `${c.pinned} (current)` : `${c.pinned} -> ${c.newest}`;
  const parts = [c.region, c.layerName, versions];
  const changes = (label: string, added: string[], removed: string[]) =>
    (added.length + removed.length > 0 ? `${label}: ${[...added.map(x => `+${x}`), ...removed.map(x => `-${x}`)].join(' ')}` : undefined);
  for (const part of [changes('runtimes', c.runtimesAdded, c.runtimesRemoved), changes('architectures', c.architecturesAdded, c.architecturesRemoved)]) {
    if (part) parts.push(part);
  }
  return parts.join('  ');
}

/** The AWS SDK's Lambda module, loaded only when `--check` runs. */
export function loadLambdaSdk(load: (id: string) => any = require): any {
  try {
    return load('@aws-sdk/client-lambda');
  } catch {
    throw new AwsProblem(ToolErrorId.AWS_SDK_MISSING, '--check needs the AWS SDK for JavaScript v3 Lambda client, which is not installed. '
      + 'Fix: npm install --save-dev @aws-sdk/client-lambda');
  }
}

/** A reader through the real SDK: one client per region, `maxAttempts` tries, `timeoutMs` per request. */
export function sdkReader(sdk: any, options: { maxAttempts: number; timeoutMs: number }): LayerVersionReader {
  const clients = new Map<string, any>();
  const client = (region: string) => {
    let c = clients.get(region);
    if (!c) {
      c = new sdk.LambdaClient({
        region,
        maxAttempts: options.maxAttempts,
        requestHandler: { requestTimeout: options.timeoutMs, connectionTimeout: options.timeoutMs },
      });
      clients.set(region, c);
    }
    return c;
  };
  return async (region, arn) => {
    try {
      // The handler's timeouts bound each attempt; the signal bounds all of them together.
      const answer = await client(region).send(new sdk.GetLayerVersionByArnCommand({ Arn: arn }),
        { abortSignal: AbortSignal.timeout(options.timeoutMs * options.maxAttempts + 1_000) });
      return {
        version: Number(answer.Version),
        runtimes: [...(answer.CompatibleRuntimes ?? [])],
        architectures: [...(answer.CompatibleArchitectures ?? [])],
      };
    } catch (e) {
      return notFoundOrThrow(e, region, options);
    }
  };
}

function notFoundOrThrow(e: any, region: string, options: { maxAttempts: number; timeoutMs: number }): undefined {
  const name: string = e?.name ?? '';
  const message: string = typeof e?.message === 'string' ? e.message : '';
  const status: number | undefined = e?.$metadata?.httpStatusCode;
  if (name === 'ResourceNotFoundException') return undefined;
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)
    || ['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'ExpiredToken'].includes(name)) {
    throw new AwsProblem(ToolErrorId.AWS_CREDENTIALS_MISSING, `AWS credentials are missing, expired or not accepted (${name || 'no credentials'}). `
      + 'Fix: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or run aws sso login), then run the check again.');
  }
  if (name === 'AccessDeniedException') {
    if (/identity-based policy/i.test(message)) {
      throw new AwsProblem(ToolErrorId.AWS_ACCESS_DENIED, `AWS denied lambda:GetLayerVersion in ${region} to these credentials (their IAM policies). `
        + 'Fix: allow lambda:GetLayerVersion on arn:aws:lambda:*:*:layer:*:* for the identity, or use other credentials.');
    }
    // The layer's own resource-based policy: that version is not published for everyone.
    return undefined;
  }
  if (['ThrottlingException', 'TooManyRequestsException', 'Throttling'].includes(name) || status === 429) {
    throw new AwsProblem(ToolErrorId.AWS_THROTTLED, `AWS Lambda throttled the check in ${region} after ${options.maxAttempts} attempts. `
      + 'Fix: run it again later, check fewer regions (--region), or lower --concurrency.');
  }
  if (name === 'TimeoutError' || name === 'AbortError' || /timed? ?out/i.test(message) || ['ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED'].includes(e?.code)) {
    throw new AwsProblem(ToolErrorId.AWS_TIMEOUT, `AWS Lambda in ${region} did not answer within ${options.timeoutMs} ms (${options.maxAttempts} attempts). `
      + 'Fix: check the network or proxy, or raise --timeout-ms.');
  }
  throw new AwsProblem(ToolErrorId.AWS_ERROR, `AWS Lambda in ${region} answered ${/^[A-Za-z]{1,60}$/.test(name) ? name : 'an error'}`
    + `${status ? ` (HTTP ${status})` : ''}. Fix: run the check again; if it persists, check the region and the credentials.`);
}
