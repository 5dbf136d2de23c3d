import { dockerRunArgs, pipInstallArgs, ResolvedPipOptions, samBuildImage } from '../../lib/layer/private/pip';

const NO_OPTIONS: ResolvedPipOptions = { extraIndexUrls: [], findLinks: [], noIndex: false, extraArgs: [], requireHashes: false };

test('pip install targets manylinux wheels for the Lambda architecture and Python version', () => {
  expect(pipInstallArgs({ requirementsFile: '/r/requirements.txt', targetDir: '/o/python', pythonVersion: '3.13', architecture: 'arm64' }, NO_OPTIONS))
    .toEqual([
      '-m', 'pip', 'install', '-r', '/r/requirements.txt', '-t', '/o/python',
      '--platform', 'manylinux2014_aarch64', '--platform', 'manylinux_2_28_aarch64',
      '--implementation', 'cp', '--python-version', '3.13', '--only-binary=:all:', '--no-compile', '--disable-pip-version-check',
    ]);
});

test.each([
  ['3.9', ['manylinux2014_x86_64']],
  ['3.11', ['manylinux2014_x86_64']],
  ['3.12', ['manylinux2014_x86_64', 'manylinux_2_28_x86_64']],
  ['3.15', ['manylinux2014_x86_64', 'manylinux_2_28_x86_64']],
])('Python %s (Amazon Linux 2 before 3.12, glibc 2.26) gets only wheels its glibc runs: %j', (pythonVersion, platforms) => {
  const args = pipInstallArgs({ requirementsFile: 'r.txt', targetDir: 'o', pythonVersion, architecture: 'x86_64' }, NO_OPTIONS);
  expect(args.filter((_, i) => args[i - 1] === '--platform')).toEqual(platforms);
});

test.each([
  ['x86_64', 'public.ecr.aws/sam/build-python3.13:latest-x86_64'],
  ['arm64', 'public.ecr.aws/sam/build-python3.13:latest-arm64'],
])('the SAM build image for %s is %s', (architecture, image) => {
  expect(samBuildImage('python3.13', architecture)).toBe(image);
});

test('docker run mounts the requirements read-only, the output and local find-links; URLs pass through', () => {
  const args = dockerRunArgs({
    requirementsFile: '/src/deps/req.txt',
    outputDir: '/cache/.building-x',
    runtimeName: 'python3.13',
    pythonVersion: '3.13',
    architecture: 'x86_64',
    dockerPlatform: 'linux/amd64',
    pip: { ...NO_OPTIONS, indexUrl: 'https://i.example/simple', findLinks: ['/wheels', 'https://w.example/'], requireHashes: true },
  });
  expect(args).toEqual([
    'run', '--rm', '--platform', 'linux/amd64',
    '-v', '/src/deps:/asset-input:ro', '-v', '/cache/.building-x:/asset-output', '-v', '/wheels:/asset-find-links/0:ro',
    '-w', '/asset-input', '-e', 'HOME=/tmp', 'public.ecr.aws/sam/build-python3.13:latest-x86_64',
    'python', '-m', 'pip', 'install', '-r', '/asset-input/req.txt', '-t', '/asset-output/python',
    '--platform', 'manylinux2014_x86_64', '--platform', 'manylinux_2_28_x86_64', '--implementation', 'cp',
    '--python-version', '3.13', '--only-binary=:all:', '--no-compile', '--disable-pip-version-check',
    '--index-url', 'https://i.example/simple', '--find-links', '/asset-find-links/0', '--find-links', 'https://w.example/',
    '--require-hashes',
  ]);
});
