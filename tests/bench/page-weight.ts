/**
 * `npm run bench:weight -- [base URL]`: what a visitor downloads per page type, as the
 * server sends it to a browser that accepts Brotli: the HTML document, and the module
 * scripts and stylesheets it links (each counted once per page). Signed-in pages (the
 * apply form, the pipeline) sign in as the demo candidate and hiring manager, so run it
 * against a site with the demo data (`npm start`). Prints one line per page type.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { DEMO_PASSWORD } from '#db/seed';
import { signInCookie } from './session';

const base = (process.argv[2] ?? 'http://localhost:4321').replace(/\/$/, '');

interface Fetched {
  status: number;
  encoding: string;
  /** Bytes on the wire (the body as sent, compressed). */
  wire: number;
  text: string;
}

/** A GET with Accept-Encoding: br through node:http, so the compressed size is what we count (fetch would decode it). */
function get(path: string, cookie?: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, base), { headers: { 'accept-encoding': 'br, gzip', ...(cookie ? { cookie } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const encoding = String(res.headers['content-encoding'] ?? 'identity');
        const plain = encoding === 'br' ? zlib.brotliDecompressSync(body) : encoding === 'gzip' ? zlib.gunzipSync(body) : body;
        resolve({ status: res.statusCode ?? 0, encoding, wire: body.length, text: plain.toString('utf8') });
      });
    });
    req.on('error', reject);
  });
}

async function weigh(label: string, path: string, cookie?: string) {
  const page = await get(path, cookie);
  if (page.status !== 200) throw new Error(`${path}: ${page.status}`);
  const scripts = [...new Set([...page.text.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!))];
  const styles = [...new Set([...page.text.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]!))];
  const sum = async (urls: string[]) => {
    let n = 0;
    // Imports of imports: Astro splits shared code into chunks the entry imports statically.
    const seen = new Set<string>();
    const queue = [...urls];
    while (queue.length) {
      const u = queue.shift()!;
      if (seen.has(u)) continue;
      seen.add(u);
      const f = await get(u);
      n += f.wire;
      for (const m of f.text.matchAll(/(?:import|from)\s*["']([^"']+\.js)["']/g)) queue.push(new URL(m[1]!, new URL(u, base)).pathname);
    }
    return { bytes: n, files: seen.size };
  };
  const js = await sum(scripts);
  const css = await sum(styles);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `${label.padEnd(14)} HTML ${kb(page.wire).padStart(9)} (${page.encoding}, ${kb(Buffer.byteLength(page.text)).padStart(9)} raw)   JS ${kb(js.bytes).padStart(8)} in ${js.files} file${js.files === 1 ? '' : 's'}   CSS ${kb(css.bytes).padStart(8)}`,
  );
}

const { hits } = (await (await fetch(`${base}/api/jobs?sort=newest`)).json()) as { hits: { slug: string }[] };
const candidate = await signInCookie(base, 'candidate@demo.test', DEMO_PASSWORD);
const manager = await signInCookie(base, 'manager@demo.test', DEMO_PASSWORD);
// A job the demo candidate can still apply to, and the manager's posting with the most applicants.
let applySlug = '';
for (const h of hits) {
  if ((await get(`/jobs/${h.slug}/apply`, candidate)).text.includes('name="jobId"')) {
    applySlug = h.slug;
    break;
  }
}
// /employer sends a member to their organization's dashboard.
const orgPath = (await fetch(`${base}/employer`, { redirect: 'manual', headers: { cookie: manager } })).headers.get('location') ?? '';
const busiest = (await get(`${orgPath}?sort=applicants`, manager)).text.match(/\/employer\/jobs\/([0-9a-f-]{36})\/pipeline/)?.[1];

await weigh('home', '/');
await weigh('/jobs', '/jobs');
await weigh('job page', `/jobs/${hits[0]!.slug}`);
await weigh('apply form', `/jobs/${applySlug}/apply`, candidate);
await weigh('pipeline', `/employer/jobs/${busiest}/pipeline`, manager);
