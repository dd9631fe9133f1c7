import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cycles, describeCycle, folderGraph, tsconfigResolver } from '../checks/folder-graph';

/** The folder-cycle check of `npm run check`, run over small trees written to a temp folder. */
let dir = '';

function tree(files: Record<string, string>, paths: Record<string, string[]> = {}, imports: Record<string, string> = {}): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'folder-cycles-'));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { moduleResolution: 'bundler', module: 'esnext', paths } }));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', imports }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, 'lib', name)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lib', name), text);
  }
  return path.join(dir, 'lib');
}

function cyclesIn(files: Record<string, string>): string[][] {
  const root = tree(files);
  return cycles(folderGraph(root, tsconfigResolver(path.join(dir, 'tsconfig.json'))));
}

afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('folder cycles', () => {
  it('finds two folders that import each other through different files (no file-level cycle)', () => {
    const found = cyclesIn({
      'auth/guards.ts': "import { orgOf } from '../orgs/queries';\nexport const guard = orgOf;",
      'orgs/queries.ts': 'export const orgOf = 1;',
      'orgs/service.ts': "import type { Session } from '../auth/types';\nexport type S = Session;",
      'auth/types.ts': 'export interface Session { id: string }',
    });
    expect(found).toEqual([['auth', 'orgs']]);
  });

  it('finds a cycle through a third folder and names one import per edge', () => {
    const root = tree({
      'a/x.ts': "export * from '../b/y';",
      'b/y.ts': "export const y = await import('../c/z');",
      'c/z.ts': "import '../a/x';",
    });
    const graph = folderGraph(root, tsconfigResolver(path.join(dir, 'tsconfig.json')));
    const [component] = cycles(graph);
    expect(component).toEqual(['a', 'b', 'c']);
    expect(describeCycle(graph, component ?? [])).toContain(
      `a → b  (${path.relative(process.cwd(), path.join(root, 'a/x.ts'))} imports ${path.relative(process.cwd(), path.join(root, 'b/y.ts'))})`,
    );
  });

  it('reads the imports of .astro frontmatter and of its <script> blocks', () => {
    const found = cyclesIn({
      'ui/Card.astro': "---\nimport { price } from '../money/format';\n---\n<p>{price}</p>",
      'widgets/Live.astro': "<output></output>\n<script>\n  import '../money/live';\n</script>",
      'money/format.ts': 'export const price = 1;',
      'money/live.ts': 'export {};',
      'money/render.ts': "import Card from '../ui/Card.astro';\nimport Live from '../widgets/Live.astro';\nexport default [Card, Live];",
    });
    expect(found).toEqual([['money', 'ui', 'widgets']]);
  });

  it('passes a one-way graph, with a shared root file both sides use', () => {
    const found = cyclesIn({
      'errors.ts': 'export class E extends Error {}',
      'jobs/service.ts': "import { E } from '../errors';\nimport { slug } from '../shared/slug';\nexport const s = [E, slug];",
      'orgs/service.ts': "import { E } from '../errors';\nimport { s } from '../jobs/service';\nexport const o = [E, s];",
      'shared/slug.ts': 'export const slug = (x: string) => x;',
    });
    expect(found).toEqual([]);
  });

  it('follows tsconfig paths and package.json imports the way tsc does', () => {
    const root = tree(
      {
        'auth/guards.ts': "import { q } from '#lib/orgs/queries';\nexport const g = q;",
        'orgs/queries.ts': 'export const q = 1;',
        'orgs/service.ts': "import { g } from '@lib/auth/guards';\nexport const s = g;",
      },
      { '@lib/*': ['./lib/*'] },
      { '#lib/*': './lib/*.ts' },
    );
    expect(cycles(folderGraph(root, tsconfigResolver(path.join(dir, 'tsconfig.json'))))).toEqual([['auth', 'orgs']]);
  });

  it('counts a root file as its own node, so a composition root imported back is a cycle', () => {
    const found = cyclesIn({
      'runtime.ts': "import { search } from './search/engine';\nexport const rt = { search };",
      'search/engine.ts': 'export const search = 1;',
      'search/request.ts': "import { rt } from '../runtime';\nexport const r = rt;",
    });
    expect(found).toEqual([['runtime.ts', 'search']]);
  });
});
