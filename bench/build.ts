import * as fs from 'fs';
import * as path from 'path';
// bench/ is dev-only, like test/ (the lint rule's devDependencies list does not name bench/ yet).
import * as ts from 'typescript';
import { OUT, ROOT } from './util';

/** Where `buildJs` writes: `<BUILD>/lib`, `<BUILD>/bin`, `<BUILD>/bench`, mirroring the repository. */
export const BUILD = path.join(OUT, 'build');

/**
 * Transpiles lib/, bin/ and bench/ to plain JavaScript under BUILD (what `ts-node --transpile-only`
 * does in memory, without a type check), so the measured child processes run on bare `node`: no
 * TypeScript compiler in their memory or start-up time, and no dependence on a possibly stale dist/.
 * Directories the sources find through `__dirname` (function/, cli/) are linked in beside them.
 */
export function buildJs(): void {
  fs.rmSync(BUILD, { recursive: true, force: true });
  for (const dir of ['lib', 'bin', 'bench']) {
    transpileTree(path.join(ROOT, dir), path.join(BUILD, dir));
  }
  for (const dir of ['function', 'cli']) {
    fs.symlinkSync(path.join(ROOT, dir), path.join(BUILD, dir));
  }
  fs.writeFileSync(path.join(BUILD, 'empty.js'), '');
}

function transpileTree(from: string, to: string): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) {
      if (source !== OUT) {
        transpileTree(source, path.join(to, entry.name));
      }
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      const output = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
        fileName: source,
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
          experimentalDecorators: true,
        },
      });
      fs.mkdirSync(to, { recursive: true });
      fs.writeFileSync(path.join(to, entry.name.replace(/\.ts$/, '.js')), output.outputText);
    } else if (entry.isFile() && !entry.name.endsWith('.md')) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, path.join(to, entry.name));
    }
  }
}
