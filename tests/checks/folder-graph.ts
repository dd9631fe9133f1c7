import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The import graph between the folders directly under a root (src/lib/auth, src/lib/orgs, …),
 * and its cycles. A file directly in the root (src/lib/errors.ts) is a node of its own, so a
 * shared module at the root never ties two folders together.
 *
 * Built on TypeScript's own pre-parser and resolver with the project's compiler options, so
 * relative imports, tsconfig `paths` and package.json `imports` (`#lib/*`) resolve the way
 * `tsc` resolves them; type-only imports count too, since they also tie a folder to another.
 */

export interface ImportRef {
  file: string;
  target: string;
}

/** from node → to node → the first import seen that makes the edge. */
export type FolderGraph = Map<string, Map<string, ImportRef>>;

const SOURCE = /\.(ts|mts|tsx|astro)$/;

/** Every source file under `dir`, except declaration files. */
export function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => SOURCE.test(f) && !f.endsWith('.d.ts') && fs.statSync(f).isFile())
    .sort();
}

/** The code of an .astro file that can import: its frontmatter and its <script> blocks. */
function astroCode(text: string): string {
  const front = /^\s*---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
  const scripts = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  return [front, ...scripts].join('\n');
}

/** The module specifiers a file imports (static, dynamic, `export … from`, `import type`). */
export function importSpecifiers(file: string, text: string): string[] {
  const code = file.endsWith('.astro') ? astroCode(text) : text;
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
}

export type Resolver = (specifier: string, fromFile: string) => string | null;

/** Resolves like the project's tsconfig; `.astro` files (which TypeScript cannot resolve) by path. */
export function tsconfigResolver(tsconfigPath: string): Resolver {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfigPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  const options = parsed?.options ?? {};
  return (specifier, fromFile) => {
    const hit = ts.resolveModuleName(specifier, path.resolve(fromFile), options, ts.sys).resolvedModule;
    if (hit && !hit.isExternalLibraryImport) return hit.resolvedFileName;
    if (specifier.startsWith('.') && specifier.endsWith('.astro')) {
      const p = path.resolve(path.dirname(fromFile), specifier);
      return fs.existsSync(p) ? p : null;
    }
    return null;
  };
}

/** The node a file belongs to: the first path segment under `root`, or null outside it. */
export function nodeOf(file: string, root: string): string | null {
  const rel = path.relative(path.resolve(root), path.resolve(file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep)[0] ?? null;
}

export function folderGraph(root: string, resolve: Resolver): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const file of sourceFiles(root)) {
    const from = nodeOf(file, root);
    if (from === null) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    const edges = graph.get(from);
    for (const specifier of importSpecifiers(file, fs.readFileSync(file, 'utf8'))) {
      const target = resolve(specifier, file);
      const to = target === null ? null : nodeOf(target, root);
      if (to === null || to === from || edges?.has(to)) continue;
      edges?.set(to, { file: path.relative(process.cwd(), file), target: path.relative(process.cwd(), target ?? '') });
    }
  }
  return graph;
}

/** Strongly connected components with more than one node (Tarjan), each sorted, largest first. */
export function cycles(graph: FolderGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];

  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };

  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => b.length - a.length || a.join().localeCompare(b.join()));
}

/** The edges inside one cycle, for the report: "auth → orgs  (src/lib/auth/x.ts imports src/lib/orgs/y.ts)". */
export function describeCycle(graph: FolderGraph, component: string[]): string[] {
  const inside = new Set(component);
  const lines: string[] = [];
  for (const from of component) {
    for (const [to, ref] of graph.get(from) ?? []) {
      if (inside.has(to)) lines.push(`${from} → ${to}  (${ref.file} imports ${ref.target})`);
    }
  }
  return lines;
}
