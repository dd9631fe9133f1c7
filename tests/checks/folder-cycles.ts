/**
 * `npm run check:cycles`: fails when the folders directly under a root import each other in a
 * circle (auth → orgs → auth), directly or through other folders. Roots: src/lib, where the
 * domain folders live, and src, where lib must not reach back into pages, components or actions.
 *
 *   tsx tests/checks/folder-cycles.ts [root …]
 */
import { cycles, describeCycle, folderGraph, tsconfigResolver } from './folder-graph';

const roots = process.argv.slice(2);
const resolve = tsconfigResolver('tsconfig.json');
let failed = false;

for (const root of roots.length > 0 ? roots : ['src/lib', 'src']) {
  const graph = folderGraph(root, resolve);
  const found = cycles(graph);
  if (found.length === 0) {
    console.log(`✓ no import cycle between the ${graph.size} folders and files directly under ${root}/`);
    continue;
  }
  failed = true;
  console.error(`✗ ${found.length} import cycle(s) between the folders under ${root}/:`);
  for (const component of found) {
    console.error(`\n  ${component.join(' ↔ ')}`);
    for (const line of describeCycle(graph, component)) console.error(`    ${line}`);
  }
  console.error('');
}

if (failed) {
  console.error('Move what both sides need into a folder neither depends on (src/lib/shared, src/lib/web).');
  process.exit(1);
}
