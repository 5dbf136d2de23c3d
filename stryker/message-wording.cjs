'use strict';
// A Stryker ignore-plugin (ignorers: ['message-wording'] in stryker/<area>.json, from projenrc/mutation.ts).
//
// This project's tests assert errors and annotations by id and by the values a message names, never by its
// wording (docs/development.md). A mutant that only rewrites the fixed wording of a message ("... Fix: use X")
// cannot be killed by such tests, by design, so it is ignored, and reported as Ignored, not as a survivor.
//
// Only the fixed text is ignored: a string literal, or a template literal without `${}`, inside the message
// argument of one of the message sinks below. A template literal that interpolates a value is still mutated
// (emptying it drops the value, which tests assert), and so are conditions, calls and operators around it.

/** The calls whose argument at this index is a message: callee name → argument indexes. */
const MESSAGE_ARGUMENTS = new Map(Object.entries({
  TracedLambdaError: [2], // new TracedLambdaError(id, scope, message)
  addWarningV2: [1], // Annotations.of(scope).addWarningV2(id, message)
  addInfoV2: [1],
  lockError: [3], // lockError(id, constructPath, at, message)
  LockSyntaxError: [0, 2], // new LockSyntaxError(what, value, problem): `value` is the value
  fail: [1, 2], // a lock reader's ctx.fail(id, message); requirements.ts's fail(id, what, fix)
}));

function calleeName(call) {
  const callee = call.callee;
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && callee.property.type === 'Identifier') return callee.property.name;
  return undefined;
}

function isFixedText(path) {
  return path.isStringLiteral() || (path.isTemplateLiteral() && path.node.expressions.length === 0);
}

/** Why `path` is ignored, or undefined: the ignorer's whole logic, exported for its test. */
function wordingReason(path) {
  if (!isFixedText(path)) return undefined;
  // Up to the nearest call or function: is this text (part of) a message argument?
  for (let p = path; p.parentPath; p = p.parentPath) {
    const parent = p.parentPath;
    if (parent.isFunction() || parent.isStatement()) return undefined;
    if ((parent.isCallExpression() || parent.isNewExpression()) && p.listKey === 'arguments') {
      // A Map, not an object: a callee named toString or constructor is no message sink.
      const indexes = MESSAGE_ARGUMENTS.get(calleeName(parent.node));
      return indexes?.includes(p.key)
        ? 'Fixed message wording: tests assert ids and the values a message names, never its wording'
        : undefined;
    }
  }
  return undefined;
}

exports.wordingReason = wordingReason;
// What @stryker-mutator/api's declareValuePlugin(PluginKind.Ignore, ...) returns; that package is ESM only, and this
// file is CommonJS so that its test can load it.
exports.strykerPlugins = [{ kind: 'Ignore', name: 'message-wording', value: { shouldIgnore: wordingReason } }];
