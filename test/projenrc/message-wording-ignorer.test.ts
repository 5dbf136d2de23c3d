import { parseSync, traverse } from '@babel/core';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { wordingReason, strykerPlugins } = require('../../stryker/message-wording.cjs');

/** The text of every string or template literal in `code` that the ignorer ignores. */
function ignoredTexts(code: string): string[] {
  const ast = parseSync(code, { filename: 'x.ts', presets: [], plugins: [], parserOpts: { plugins: ['typescript'] }, configFile: false, babelrc: false });
  const ignored: string[] = [];
  traverse(ast!, {
    enter(path) {
      if (wordingReason(path) !== undefined) ignored.push(path.toString());
    },
  });
  return ignored;
}

test('the Stryker plugin declares the ignorer the configs name', () => {
  expect(strykerPlugins).toEqual([expect.objectContaining({ kind: 'Ignore', name: 'message-wording' })]);
});

test('ignores the fixed wording of messages, in every message sink, and nothing else', () => {
  const code = `
    throw new TracedLambdaError(ErrorId.X, scope, 'fixed wording. ' + \`Fix: do this.\`);
    Annotations.of(fn).addWarningV2(AnnotationId.Y, 'warning wording');
    Annotations.of(fn).addInfoV2(AnnotationId.Z, \`info \${cond ? 'yes' : 'no'}\`);
    lockError(ErrorId.L, path, 'at-not-a-message', 'lock wording');
    throw new LockSyntaxError('marker', 'the-value', 'problem wording');
    ctx.fail(ErrorId.F, 'reader wording', 3);
    fail(ErrorId.R, 'what wording', 'fix wording', false);
  `;
  expect(ignoredTexts(code)).toEqual([
    "'fixed wording. '", '`Fix: do this.`',
    "'warning wording'",
    "'yes'", "'no'",
    "'lock wording'",
    "'marker'", "'problem wording'",
    "'reader wording'",
    "'what wording'", "'fix wording'",
  ]);
});

test('keeps mutating values: interpolating templates, ids, paths, other arguments and other calls', () => {
  const code = `
    throw new TracedLambdaError('cdk-traced-lambda:literalId', 'Stack/Fn', \`got \${shown(value)}\`);
    throw new TracedLambdaError(ErrorId.X, scope, \`got \${shown('inner value')}\`);
    lockError(ErrorId.L, 'path', 'at', \`\${x}\`);
    new LockSyntaxError(what, 'the-value', problem);
    console.log('not a message sink');
    const fix = 'assigned wording is not recognized';
    throw new Error('not our error class');
    throw new TracedLambdaError(ErrorId.X, scope, () => 'inside a function');
    code.toString('hex'); x.constructor('a'); y.hasOwnProperty('b'); z.__proto__('c');
  `;
  expect(ignoredTexts(code)).toEqual([]);
});
