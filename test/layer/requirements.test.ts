import * as fs from 'fs';
import * as path from 'path';
import { cleanTempDirs, requirements, tempDir } from './helpers';
import { normalizeName, requirementsInclude } from '../../lib/private/python-names';
import { parseRequirements } from '../../lib/layer/private/requirements';

afterEach(cleanTempDirs);

test.each([
  ['Friendly-Bard', 'friendly-bard'],
  ['FRIENDLY_BARD', 'friendly-bard'],
  ['friendly.bard', 'friendly-bard'],
  ['friendly--._bard', 'friendly-bard'],
])('normalizes %s to %s (PEP 503)', (name, normalized) => {
  expect(normalizeName(name)).toBe(normalized);
});

test('reads names, extras, includes, markers and URL forms; ignores comments and options', () => {
  const dir = tempDir();
  requirements(dir, 'Jsonpickle>=4  # pinned below\n-r ../loop.txt\n', 'sub/more.txt');
  requirements(dir, '-r sub/more.txt\n', 'loop.txt');
  const file = requirements(dir, [
    '--extra-index-url https://x.example/simple',
    '-e ./local/pkg',
    'aws-xray-sdk==2.14.0; python_version >= "3.8"',
    'Powertools[Parser, tracer]>=3',
    'mypkg @ https://example.invalid/mypkg-1.0-py3-none-any.whl',
    'https://example.invalid/raw.whl',
    '-rsub/more.txt',
  ].join('\n'));
  const parsed = parseRequirements(file);
  expect(parsed.requirements).toEqual(['aws-xray-sdk', 'powertools[parser,tracer]', 'mypkg', 'jsonpickle']);
  expect(parsed.sources.map(s => s.name)).toEqual(['requirements.txt', 'sub/more.txt', 'loop.txt']);
  expect(parsed.hasHashes).toBe(false);
  expect(fs.existsSync(path.join(dir, 'requirements.txt'))).toBe(true);
});

test('detects hashes, including on continuation lines', () => {
  const file = requirements(tempDir(), 'six==1.16.0 \\\n    --hash=sha256:1e61c374\n');
  expect(parseRequirements(file)).toMatchObject({ requirements: ['six'], hasHashes: true });
});

test('requirementsInclude matches names and extras after normalization', () => {
  const reqs = ['aws-lambda-powertools[parser,tracer]', 'six'];
  expect(requirementsInclude(reqs, 'AWS_Lambda_Powertools', 'Tracer')).toBe(true);
  expect(requirementsInclude(reqs, 'aws-lambda-powertools', 'validation')).toBe(false);
  expect(requirementsInclude(reqs, 'six')).toBe(true);
  expect(requirementsInclude(reqs, 'six', 'x')).toBe(false);
  expect(requirementsInclude(reqs, 'boto3')).toBe(false);
});
