import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/** A file to put into a wheel: path inside the wheel and its content. */
export interface WheelFile {
  readonly path: string;
  readonly content: string | Buffer;
}

/** What to put into a test wheel. */
export interface WheelSpec {
  /** Distribution name as written in METADATA, e.g. `botocore` or `Fake_Pkg`. */
  readonly name: string;
  /** @default '1.0' */
  readonly version?: string;
  /** `Requires-Dist` lines, e.g. `['botocore']`. @default - none */
  readonly requires?: string[];
  /** The `Requires-Python` line, e.g. `>=3.99`. @default - none */
  readonly requiresPython?: string;
  /** Extra files; by default the wheel holds `<module>/__init__.py`. @default - none */
  readonly files?: WheelFile[];
}

/**
 * Writes a minimal, valid, pure-Python wheel (`py3-none-any`) into `dir` and returns its path.
 * No Python needed: the zip is written by hand (stored entries, no compression).
 */
export function makeWheel(dir: string, spec: WheelSpec): string {
  const version = spec.version ?? '1.0';
  const distName = spec.name.replace(/[-_.]+/g, '_');
  const module = distName.toLowerCase();
  const distInfo = `${distName}-${version}.dist-info`;
  const files: WheelFile[] = [
    { path: `${module}/__init__.py`, content: `__version__ = '${version}'\n` },
    ...(spec.files ?? []),
    {
      path: `${distInfo}/METADATA`,
      content: `Metadata-Version: 2.1\nName: ${spec.name}\nVersion: ${version}\n`
        + (spec.requiresPython === undefined ? '' : `Requires-Python: ${spec.requiresPython}\n`)
        + (spec.requires ?? []).map(r => `Requires-Dist: ${r}\n`).join(''),
    },
    { path: `${distInfo}/WHEEL`, content: 'Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n' },
  ];
  const record = files.map(f => `${f.path},,\n`).join('') + `${distInfo}/RECORD,,\n`;
  files.push({ path: `${distInfo}/RECORD`, content: record });

  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${distName}-${version}-py3-none-any.whl`);
  fs.writeFileSync(file, zip(files));
  return file;
}

function zip(files: WheelFile[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.path, 'utf8');
    const data = Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content, 'utf8');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const centralDir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralDir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDir, end]);
}
