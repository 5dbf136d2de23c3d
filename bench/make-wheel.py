#!/usr/bin/env python3
"""Write a tiny pure-Python wheel, for benchmarks that need a package in two versions offline.

Usage: python3 bench/make-wheel.py OUT_DIR NAME VERSION
"""
import base64
import hashlib
import sys
import zipfile


def record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
    return f'{arcname},sha256={digest},{len(data)}'


def main(out_dir, name, version):
    module = name.replace('-', '_')
    dist_info = f'{module}-{version}.dist-info'
    files = {
        f'{module}/__init__.py': f'__version__ = "{version}"\n'.encode(),
        f'{dist_info}/METADATA': f'Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n'.encode(),
        f'{dist_info}/WHEEL': b'Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
    }
    record = [record_line(arc, data) for arc, data in files.items()] + [f'{dist_info}/RECORD,,']
    files[f'{dist_info}/RECORD'] = ('\n'.join(record) + '\n').encode()
    with zipfile.ZipFile(f'{out_dir}/{module}-{version}-py3-none-any.whl', 'w', zipfile.ZIP_DEFLATED) as whl:
        for arc, data in files.items():
            info = zipfile.ZipInfo(arc, date_time=(2020, 1, 1, 0, 0, 0))
            whl.writestr(info, data)


if __name__ == '__main__':
    main(*sys.argv[1:4])
