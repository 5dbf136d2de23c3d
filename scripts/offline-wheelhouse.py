#!/usr/bin/env python3
"""Make an offline wheelhouse for the sample app's layer, from what this machine already has.

Machines without PyPI (this project's CI, air-gapped build hosts) cannot `pip install aws-xray-sdk`.
This script gathers the sample's requirements into one folder of wheels that
`npx cdk synth -c cdk-traced-lambda:pipFindLinks=.wheelhouse -c cdk-traced-lambda:pipNoIndex=true`
then installs from, without any index:

- pure-Python distributions installed in this interpreter (aws-xray-sdk) are re-packed into wheels;
- wrapt is re-packed without its C extension (wrapt falls back to its pure-Python implementation), so
  the wheel fits any Python 3 runtime and CPU architecture;
- the rest (jsonpickle, botocore and its dependencies) is copied from the local package indexes
  configured for pip on this machine (file:// URLs), with `pip download --no-deps`.

Nothing is downloaded from the internet. Usage: python3 scripts/offline-wheelhouse.py [OUT_DIR]
"""
import base64
import hashlib
import importlib.metadata as metadata
import os
import re
import subprocess
import sys
import zipfile

# Distributions re-packed from this interpreter's site-packages: name -> drop compiled extensions?
REPACK = {'aws-xray-sdk': False, 'wrapt': True}
# Copied from the machine's local indexes (pinned to what function/requirements.txt resolves to).
FROM_LOCAL_INDEX = ['jsonpickle==4.1.2', 'botocore', 'jmespath', 'python-dateutil', 'six', 'urllib3']


def local_index_urls():
    """The file:// indexes pip is configured with here (pip config), never a network index."""
    out = subprocess.run([sys.executable, '-m', 'pip', 'config', 'list'], capture_output=True, text=True).stdout
    urls = []
    for line in out.splitlines():
        if 'index-url' in line:
            value = line.split('=', 1)[1].strip().strip("'\"")
            urls += [u for u in value.split() if u.startswith('file://')]
    return urls


def record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
    return f'{arcname},sha256={digest},{len(data)}'


def entry(arcname):
    """A zip entry with a fixed date, so re-packing the same files gives the same bytes (and layer hash)."""
    info = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def repack(name, drop_extensions, out_dir):
    dist = metadata.distribution(name)
    dist_info = f"{re.sub(r'[-.]+', '_', dist.metadata['Name'])}-{dist.version}.dist-info"
    wheel_name = f"{re.sub(r'[-.]+', '_', dist.metadata['Name'])}-{dist.version}-py3-none-any.whl"
    path = os.path.join(out_dir, wheel_name)
    records = []
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as whl:
        for f in sorted(dist.files, key=str):
            rel = str(f)
            if '__pycache__' in rel or rel.endswith('.pyc') or '.dist-info/' in rel:
                continue
            if drop_extensions and (rel.endswith('.so') or rel.endswith('.c')):
                continue
            data = f.locate().read_bytes()
            whl.writestr(entry(rel), data)
            records.append(record_line(rel, data))
        meta = dist.read_text('METADATA').encode()
        wheel = b'Wheel-Version: 1.0\nGenerator: cdk-traced-lambda offline-wheelhouse\nRoot-Is-Purelib: true\nTag: py3-none-any\n'
        for arcname, data in ((f'{dist_info}/METADATA', meta), (f'{dist_info}/WHEEL', wheel)):
            whl.writestr(entry(arcname), data)
            records.append(record_line(arcname, data))
        records.append(f'{dist_info}/RECORD,,')
        whl.writestr(entry(f'{dist_info}/RECORD'), '\n'.join(records) + '\n')
    return wheel_name


def main():
    out_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else '.wheelhouse')
    os.makedirs(out_dir, exist_ok=True)
    for name, drop in REPACK.items():
        try:
            print(f'repacked {repack(name, drop, out_dir)}')
        except metadata.PackageNotFoundError:
            sys.exit(f'offline-wheelhouse: {name} is not installed in {sys.executable}; install it '
                     f'(pip install {name}) or run this script with a python3 that has it.')
    urls = local_index_urls()
    if not urls:
        sys.exit('offline-wheelhouse: pip has no file:// index configured (pip config list); '
                 'put the wheels for ' + ', '.join(FROM_LOCAL_INDEX) + f' into {out_dir} yourself.')
    cmd = [sys.executable, '-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--dest', out_dir,
           '--index-url', urls[0]] + [a for u in urls[1:] for a in ('--extra-index-url', u)] + FROM_LOCAL_INDEX
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit('offline-wheelhouse: pip download failed:\n' + result.stdout + result.stderr)
    print('\n'.join(sorted(os.listdir(out_dir))))


if __name__ == '__main__':
    main()
