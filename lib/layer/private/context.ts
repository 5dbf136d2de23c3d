import * as path from 'path';
import { Construct } from 'constructs';
import { fileUrlPath, isUrl, ResolvedPipOptions } from './pip';
import { ErrorId } from '../../contract';
import { TracedLambdaError } from '../../private/error';
import { shown } from '../../private/untrusted-text';
import { PipOptions } from '../pip-options';

/** CDK context keys that set app-wide pip defaults. */
export const PIP_CONTEXT_KEYS = {
  indexUrl: 'cdk-traced-lambda:pipIndexUrl',
  findLinks: 'cdk-traced-lambda:pipFindLinks',
  noIndex: 'cdk-traced-lambda:pipNoIndex',
};

/**
 * Merges pip props with the app-wide CDK context defaults (props win). Local find-links paths
 * are made absolute against the current working directory.
 *
 * A context value comes as a string from `cdk synth -c key=value`, or as any JSON value from cdk.json; `null`
 * counts as unset. A value of the wrong kind is an error naming `constructPath`, and is only read when no prop
 * overrides it.
 */
export function resolvePipOptions(scope: Construct, props: PipOptions, constructPath: string = scope.node.path): ResolvedPipOptions {
  const context = (key: string): unknown => {
    const value: unknown = scope.node.tryGetContext(key);
    return value === null ? undefined : value;
  };
  const findLinks = props.findLinks ?? contextFindLinks(constructPath, context(PIP_CONTEXT_KEYS.findLinks));
  return {
    indexUrl: props.indexUrl ?? contextIndexUrl(constructPath, context(PIP_CONTEXT_KEYS.indexUrl)),
    extraIndexUrls: props.extraIndexUrls ?? [],
    findLinks: findLinks.map(l => findLinksLocation(constructPath, l)),
    noIndex: props.noIndex ?? contextNoIndex(constructPath, context(PIP_CONTEXT_KEYS.noIndex)),
    extraArgs: props.pipExtraArgs ?? [],
    requireHashes: false,
  };
}

/**
 * A find-links entry as pip is given it: a `file:` URL becomes the folder or wheel it names, as a `--find-links
 * file:` line of a requirements file does, so that the layer's hash covers its wheels and noIndex accepts it;
 * another URL stays; a path is made absolute against the current working directory.
 */
function findLinksLocation(constructPath: string, location: string): string {
  if (/^file:/i.test(location)) {
    const local = fileUrlPath(location);
    if (local === undefined) {
      throw new TracedLambdaError(ErrorId.LAYER_FIND_LINKS_NOT_FOUND, constructPath, `find-links names a file: URL that is not a local path: ${shown(location)}. `
        + 'Fix: write file:///absolute/path (no host), or the path itself.');
    }
    return local;
  }
  return isUrl(location) ? location : path.resolve(process.cwd(), location);
}

// Each message names the key and the value in one template, so that a test asserting the value also guards the
// key; the fix is fixed text (the message-wording ignorer of docs/mutation.md leaves it alone).

/** `cdk-traced-lambda:pipIndexUrl`: a non-blank string. */
function contextIndexUrl(constructPath: string, value: unknown): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TracedLambdaError(ErrorId.LAYER_PIP_CONTEXT_INVALID, constructPath, `context ${PIP_CONTEXT_KEYS.indexUrl} is ${shown(JSON.stringify(value))}, `
      + 'but must be the index URL, a non-empty string. Fix: `-c cdk-traced-lambda:pipIndexUrl=https://host/simple`, or '
      + '"cdk-traced-lambda:pipIndexUrl": "https://host/simple" in cdk.json; leave the key out for PyPI.');
  }
  return value;
}

/** `cdk-traced-lambda:pipFindLinks`: `a,b` (from `-c`) or a JSON list of strings (from cdk.json); blank items are dropped. */
function contextFindLinks(constructPath: string, value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  const items = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(items)) {
    throw new TracedLambdaError(ErrorId.LAYER_PIP_CONTEXT_INVALID, constructPath, `context ${PIP_CONTEXT_KEYS.findLinks} is ${shown(JSON.stringify(value))}, `
      + 'but must be a comma-separated string or a list of paths or URLs. '
      + 'Fix: `-c cdk-traced-lambda:pipFindLinks=DIR1,DIR2`, or "cdk-traced-lambda:pipFindLinks": ["DIR1", "DIR2"] in cdk.json.');
  }
  const bad = items.findIndex(item => typeof item !== 'string');
  if (bad >= 0) {
    throw new TracedLambdaError(ErrorId.LAYER_PIP_CONTEXT_INVALID, constructPath,
      `context ${PIP_CONTEXT_KEYS.findLinks} has ${shown(JSON.stringify(items[bad]))} at index ${bad}, `
      + 'but must list paths or URLs as strings. Fix: quote each item in cdk.json: "cdk-traced-lambda:pipFindLinks": ["DIR1", "DIR2"].');
  }
  return (items as string[]).map(s => s.trim()).filter(s => s.length > 0);
}

/** `cdk-traced-lambda:pipNoIndex`: true or false, as a JSON boolean or a string in any case. */
function contextNoIndex(constructPath: string, value: unknown): boolean {
  if (value === undefined) {
    return false;
  }
  const word = typeof value === 'string' ? value.toLowerCase() : value;
  if (word === true || word === 'true') {
    return true;
  }
  if (word === false || word === 'false') {
    return false;
  }
  throw new TracedLambdaError(ErrorId.LAYER_PIP_CONTEXT_INVALID, constructPath, `context ${PIP_CONTEXT_KEYS.noIndex} is ${shown(JSON.stringify(value))}, `
    + 'but must be true or false. Fix: `-c cdk-traced-lambda:pipNoIndex=true` (or false), or "cdk-traced-lambda:pipNoIndex": true in cdk.json.');
}
