import * as path from 'path';
import { cleanTempDirs, newStack } from './helpers';
import { ErrorId } from '../../lib';
import { PipOptions } from '../../lib/layer/pip-options';
import { resolvePipOptions } from '../../lib/layer/private/context';
import { expectErrorId } from '../helpers/errors';

// The app-wide pip defaults come as CDK context: `cdk synth -c key=value` gives a string, cdk.json any JSON value.
// Context reaches the app the same way either way (the CLI passes it as JSON), so an App's `context` stands for both.
const INDEX_URL = 'cdk-traced-lambda:pipIndexUrl';
const FIND_LINKS = 'cdk-traced-lambda:pipFindLinks';
const NO_INDEX = 'cdk-traced-lambda:pipNoIndex';
const LAYER = 'Stack/Deps';

afterEach(cleanTempDirs);

/** The pip options a layer at Stack/Deps gets from `context` and `props`. */
function resolve(context: Record<string, unknown>, props: PipOptions = {}) {
  const { stack } = newStack(context);
  return resolvePipOptions(stack, props, LAYER);
}

describe('no context and no props', () => {
  test('mean pip\'s defaults: no index URL, no find-links, an index', () => {
    expect(resolve({})).toEqual({ extraIndexUrls: [], findLinks: [], noIndex: false, extraArgs: [], requireHashes: false });
  });

  test('a null in cdk.json counts as unset, for every key', () => {
    expect(resolve({ [INDEX_URL]: null, [FIND_LINKS]: null, [NO_INDEX]: null }))
      .toEqual({ extraIndexUrls: [], findLinks: [], noIndex: false, extraArgs: [], requireHashes: false });
  });
});

describe('pipNoIndex', () => {
  test.each([
    ['-c ...=true', 'true', true],
    ['-c ...=TRUE', 'TRUE', true],
    ['-c ...=True', 'True', true],
    ['-c ...=false', 'false', false],
    ['-c ...=FALSE', 'FALSE', false],
    ['cdk.json true', true, true],
    ['cdk.json false', false, false],
  ])('%s gives noIndex %s', (_, value, noIndex) => {
    expect(resolve({ [NO_INDEX]: value }).noIndex).toBe(noIndex);
  });

  test.each([
    ['-c ...=yes', 'yes', '"yes"'],
    ['-c ...=1', '1', '"1"'],
    ['-c ...=0', '0', '"0"'],
    ['-c ...= (empty)', '', '""'],
    ['-c "...=true " (a trailing space)', 'true ', '"true "'],
    ['cdk.json 1', 1, '1'],
    ['a cdk.json list', ['true'], '["true"]'],
  ])('fails when it is %s, naming the layer, the key and the value', (_, value, shownValue) => {
    expectErrorId(() => resolve({ [NO_INDEX]: value }), ErrorId.LAYER_PIP_CONTEXT_INVALID, `${LAYER}: `, NO_INDEX, `'${shownValue}'`);
  });

  test('the prop wins over the context, false over true and a wrong value alike', () => {
    expect(resolve({ [NO_INDEX]: 'true' }, { noIndex: false }).noIndex).toBe(false);
    expect(resolve({ [NO_INDEX]: 'yes' }, { noIndex: true }).noIndex).toBe(true);
  });
});

describe('pipFindLinks', () => {
  const cwd = process.cwd();

  test('-c ...=a,b gives both, relative paths made absolute against the working directory, URLs kept', () => {
    expect(resolve({ [FIND_LINKS]: 'wheels,https://w.example/wheels,/srv/wheels' }).findLinks)
      .toEqual([path.join(cwd, 'wheels'), 'https://w.example/wheels', '/srv/wheels']);
  });

  test('-c ...="a, b," trims each item and drops the empty ones', () => {
    expect(resolve({ [FIND_LINKS]: ' a, b,,  ,' }).findLinks).toEqual([path.join(cwd, 'a'), path.join(cwd, 'b')]);
  });

  test('-c ...= (empty) means none', () => {
    expect(resolve({ [FIND_LINKS]: '' }).findLinks).toEqual([]);
  });

  test('a cdk.json list is taken item by item (a comma inside an item stays), trimmed, empty items dropped', () => {
    expect(resolve({ [FIND_LINKS]: ['wheels', ' https://w.example/a,b ', ''] }).findLinks)
      .toEqual([path.join(cwd, 'wheels'), 'https://w.example/a,b']);
  });

  test.each([
    ['a number', 5, '5'],
    ['a boolean', true, 'true'],
    ['an object', { dir: 'wheels' }, '{"dir":"wheels"}'],
  ])('fails when cdk.json gives %s, naming the layer, the key and the value', (_, value, shownValue) => {
    expectErrorId(() => resolve({ [FIND_LINKS]: value }), ErrorId.LAYER_PIP_CONTEXT_INVALID, `${LAYER}: `, FIND_LINKS, `'${shownValue}'`);
  });

  test.each([
    ['first', [7, 'wheels'], '7'],
    ['second', ['wheels', null], 'null'],
    ['nested list', ['wheels', ['more']], '["more"]'],
  ])('fails when a list item is not a string (%s), naming the layer, the key and the item', (_, value, shownItem) => {
    expectErrorId(() => resolve({ [FIND_LINKS]: value }), ErrorId.LAYER_PIP_CONTEXT_INVALID, `${LAYER}: `, FIND_LINKS, `'${shownItem}'`);
  });

  test('the prop wins over the context, an empty list too, and is resolved the same way', () => {
    expect(resolve({ [FIND_LINKS]: 'from-context' }, { findLinks: ['from-props', 'https://w.example/'] }).findLinks)
      .toEqual([path.join(cwd, 'from-props'), 'https://w.example/']);
    expect(resolve({ [FIND_LINKS]: 'from-context' }, { findLinks: [] }).findLinks).toEqual([]);
    expect(resolve({ [FIND_LINKS]: 5 }, { findLinks: [] }).findLinks).toEqual([]);
  });
});

describe('file: URLs in find-links', () => {
  // pip reads `file:///srv/wheels` as the folder /srv/wheels, as does a `--find-links file:` line of a requirements
  // file (requirements.ts); a folder kept as a URL would be left out of the layer's hash, and noIndex would refuse it.
  test.each([
    ['the context', (url: string) => resolve({ [FIND_LINKS]: url })],
    ['the prop', (url: string) => resolve({}, { findLinks: [url] })],
  ])('from %s become the local path they name', (_, resolveWith) => {
    expect(resolveWith('file:///srv/wheels').findLinks).toEqual(['/srv/wheels']);
    expect(resolveWith('FILE:///srv/my%20wheels/pkg-1.0-py3-none-any.whl').findLinks).toEqual(['/srv/my wheels/pkg-1.0-py3-none-any.whl']);
    expect(resolveWith('file://localhost/srv/wheels').findLinks).toEqual(['/srv/wheels']);
  });

  test('a file: URL with a host is not a local path: an error naming the layer and the URL', () => {
    expectErrorId(() => resolve({}, { findLinks: ['file://server/share/wheels'] }), ErrorId.LAYER_FIND_LINKS_NOT_FOUND,
      `${LAYER}: `, '\'file://server/share/wheels\'');
  });
});

describe('pipIndexUrl', () => {
  test('a string is taken as it is, from -c or cdk.json', () => {
    expect(resolve({ [INDEX_URL]: 'https://pypi.example/simple' }).indexUrl).toBe('https://pypi.example/simple');
  });

  test.each([
    ['-c ...= (empty)', '', '""'],
    ['-c "...= " (blank)', ' ', '" "'],
    ['a cdk.json number', 8080, '8080'],
    ['a cdk.json list', ['https://a.example/simple', 'https://b.example/simple'], '["https://a.example/simple","https://b.example/simple"]'],
    ['a cdk.json boolean', false, 'false'],
  ])('fails when it is %s, naming the layer, the key and the value', (_, value, shownValue) => {
    expectErrorId(() => resolve({ [INDEX_URL]: value }), ErrorId.LAYER_PIP_CONTEXT_INVALID, `${LAYER}: `, INDEX_URL, `'${shownValue}'`);
  });

  test('a password in a refused value is masked', () => {
    const error = expectErrorId(() => resolve({ [INDEX_URL]: ['https://deploy:s3cret@pypi.example/simple'] }),
      ErrorId.LAYER_PIP_CONTEXT_INVALID, INDEX_URL, 'deploy:***@pypi.example');
    expect(error.message).not.toContain('s3cret');
  });

  test('the prop wins over the context, also over a wrong value', () => {
    expect(resolve({ [INDEX_URL]: 'https://context.example/simple' }, { indexUrl: 'https://props.example/simple' }).indexUrl)
      .toBe('https://props.example/simple');
    expect(resolve({ [INDEX_URL]: 8080 }, { indexUrl: 'https://props.example/simple' }).indexUrl).toBe('https://props.example/simple');
  });
});

test('all three keys from the context together, and the props that have no key', () => {
  expect(resolve(
    { [INDEX_URL]: 'https://pypi.example/simple', [FIND_LINKS]: ['/srv/wheels'], [NO_INDEX]: 'True' },
    { extraIndexUrls: ['https://extra.example/simple'], pipExtraArgs: ['--pre'] },
  )).toEqual({
    indexUrl: 'https://pypi.example/simple',
    extraIndexUrls: ['https://extra.example/simple'],
    findLinks: ['/srv/wheels'],
    noIndex: true,
    extraArgs: ['--pre'],
    requireHashes: false,
  });
});

test('without a path, the error names the scope the context is read from', () => {
  const { stack } = newStack({ [NO_INDEX]: 'yes' });
  expectErrorId(() => resolvePipOptions(stack, {}), ErrorId.LAYER_PIP_CONTEXT_INVALID, /^Stack: /, NO_INDEX);
});
