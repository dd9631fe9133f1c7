import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startBuiltServer, type ServerProcess } from '../helpers/server-process';

/**
 * What an operator relies on, against a server of its own: JSON request logs with the
 * request id and the route pattern (never the raw URL), Prometheus metrics behind a
 * token, and SIGTERM that lets in-flight requests finish.
 */
const databaseUrl = inject('serverDatabaseUrl');
const meiliUrl = inject('meiliUrl');
const meiliIndex = inject('serverMeiliIndex');
const mainServer = inject('serverUrl');
const TOKEN = 'metrics-token-for-tests-0123456789';

describe.skipIf(!databaseUrl)('operations', () => {
  let server: ServerProcess;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-'));
    server = await startBuiltServer(
      {
        DATABASE_URL: databaseUrl,
        MEILI_URL: meiliUrl,
        MEILI_INDEX: meiliIndex,
        DATA_DIR: dataDir,
        WORKERS: 'off',
        METRICS_TOKEN: TOKEN,
        LOG_LEVEL: 'info',
      },
      { stdio: 'pipe' },
    );
  });
  afterAll(async () => {
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs one JSON line per request with the request id and the route pattern, never the raw address', async () => {
    const id = 'ops-test-request-0001';
    const r = await fetch(`${server.url}/jobs?q=secret-search-words&role=therapist`, {
      headers: { 'x-request-id': id },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-request-id')).toBe(id);
    const made = (await fetch(`${server.url}/roles/therapist`)).headers.get('x-request-id');
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    let line: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && !line; i++) {
      line = server.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.reqId === id);
      if (!line) await new Promise((res) => setTimeout(res, 50));
    }
    expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'GET', route: '/jobs', status: 200 });
    expect(typeof line!.ms).toBe('number');
    expect(server.lines.join('\n')).not.toContain('secret-search-words');
    for (const l of server.lines) expect(() => JSON.parse(l), l).not.toThrow();
  });

  it('serves Prometheus metrics only with the bearer token, and 404 when no token is configured', async () => {
    expect((await fetch(`${mainServer}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token-00' } })).status).toBe(401);
    const r = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/plain/);
    const body = await r.text();
    expect(body).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/jobs"/);
    expect(body).toContain('nodejs_eventloop_lag_seconds');
    expect(body).toContain('process_resident_memory_bytes');
  });

  it('compresses text responses by Accept-Encoding and serves bundled assets with immutable caching', async () => {
    for (const [enc, want] of [
      ['br, gzip', 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      const r = await fetch(`${mainServer}/jobs`, { headers: { 'accept-encoding': enc } });
      expect(r.headers.get('content-encoding'), enc).toBe(want);
      expect(r.headers.get('vary')).toMatch(/Accept-Encoding/i);
      expect(await r.text()).toContain('</html>');
    }
    const plain = await fetch(`${mainServer}/jobs`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    const html = await (await fetch(`${mainServer}/employer/new`, { redirect: 'manual' })).text();
    const page = await (await fetch(`${mainServer}/jobs`)).text();
    const asset = (html + page).match(/\/_astro\/[\w.-]+\.(?:js|css)/)?.[0];
    if (asset) {
      const r = await fetch(`${mainServer}${asset}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    const favicon = await fetch(`${mainServer}/favicon.svg`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('cache-control')).toMatch(/max-age=3600/);
  });

  it('on SIGTERM finishes a request already in flight and then exits cleanly', async () => {
    const url = new URL(server.url);
    // A form post whose body arrives slowly: in flight for as long as we choose.
    const [first, second] = ['email=nobody%40example.com&', 'password=not-the-password1'];
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/_actions/auth.signIn',
          headers: {
            origin: server.url,
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': String(first.length + second.length),
          },
        },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write(first);
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(second), 500);
      }, 200);
    });
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    const r = await response;
    expect(r.status, r.body).toBeGreaterThanOrEqual(400);
    expect(r.status, r.body).toBeLessThan(500);
    expect(await exited).toBe(0);
    expect(server.lines.some((l) => l.includes('shutting down'))).toBe(true);
  });
});
