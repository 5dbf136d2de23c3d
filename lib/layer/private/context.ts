import * as path from 'path';
import { Construct } from 'constructs';
import { isUrl, ResolvedPipOptions } from './pip';
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
 */
export function resolvePipOptions(scope: Construct, props: PipOptions): ResolvedPipOptions {
  const contextIndexUrl = scope.node.tryGetContext(PIP_CONTEXT_KEYS.indexUrl);
  const contextFindLinks = scope.node.tryGetContext(PIP_CONTEXT_KEYS.findLinks);
  const contextNoIndex = scope.node.tryGetContext(PIP_CONTEXT_KEYS.noIndex);

  const findLinks = props.findLinks ?? splitList(contextFindLinks);
  return {
    indexUrl: props.indexUrl ?? (contextIndexUrl === undefined ? undefined : String(contextIndexUrl)),
    extraIndexUrls: props.extraIndexUrls ?? [],
    findLinks: findLinks.map(l => isUrl(l) ? l : path.resolve(process.cwd(), l)),
    noIndex: props.noIndex ?? (contextNoIndex === true || String(contextNoIndex).toLowerCase() === 'true'),
    extraArgs: props.pipExtraArgs ?? [],
    requireHashes: false,
  };
}

/** A context value given as `a,b` on the command line or as a JSON list in cdk.json. */
function splitList(value: unknown): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return items.map(s => s.trim()).filter(s => s.length > 0);
}
