import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientAddress, clientKey, parseAddress } from '#lib/web/client-address';
import { clientIp } from '#lib/web/request-auth';
import { resetEnvCache } from '#lib/env';
import { BACKOFF, backoffDelaySeconds } from '#lib/ratelimit';
import { signInKeys } from '#lib/auth/sign-in-throttle';

/** Issue 9, item 7: who the client is, and how long it waits. */
describe('client address', () => {
  const socket = '10.0.0.5'; // the load balancer, when there is one

  it('ignores X-Forwarded-For unless TRUST_PROXY is set', () => {
    expect(clientAddress({ socket, forwardedFor: '198.51.100.7', trustProxy: 0 })).toBe(socket);
    expect(clientAddress({ socket, forwardedFor: null, trustProxy: 0 })).toBe(socket);
  });

  it('takes the last entry with one trusted proxy, the Nth from the right with N', () => {
    expect(clientAddress({ socket, forwardedFor: '198.51.100.7', trustProxy: 1 })).toBe('198.51.100.7');
    expect(clientAddress({ socket, forwardedFor: '198.51.100.7, 10.0.0.9', trustProxy: 2 })).toBe('198.51.100.7');
    expect(clientAddress({ socket, forwardedFor: '198.51.100.7, 10.0.0.9', trustProxy: 1 })).toBe('10.0.0.9');
  });

  it('ignores entries a client wrote to the left of what our proxies appended', () => {
    // The client sent "X-Forwarded-For: 1.2.3.4, 5.6.7.8"; our one load balancer appended the real peer.
    expect(clientAddress({ socket, forwardedFor: '1.2.3.4, 5.6.7.8, 203.0.113.9', trustProxy: 1 })).toBe('203.0.113.9');
    expect(clientAddress({ socket, forwardedFor: '1.2.3.4,203.0.113.9, 10.0.0.9', trustProxy: 2 })).toBe('203.0.113.9');
  });

  it('without the header, or with fewer entries than proxies, uses what there is', () => {
    expect(clientAddress({ socket, forwardedFor: null, trustProxy: 1 })).toBe(socket);
    expect(clientAddress({ socket, forwardedFor: '', trustProxy: 1 })).toBe(socket);
    expect(clientAddress({ socket, forwardedFor: '198.51.100.7', trustProxy: 3 })).toBe('198.51.100.7');
  });

  it('keeps the last readable hop when a trusted entry is not an address', () => {
    expect(clientAddress({ socket, forwardedFor: 'evil, not-an-ip', trustProxy: 1 })).toBe(socket);
    expect(clientAddress({ socket, forwardedFor: '1.2.3.4, unknown, 203.0.113.9', trustProxy: 3 })).toBe('203.0.113.9');
    expect(clientAddress({ socket: undefined, forwardedFor: null, trustProxy: 0 })).toBe('unknown');
  });

  it('reads the forms proxies write', () => {
    expect(parseAddress(' 203.0.113.9 ')).toBe('203.0.113.9');
    expect(parseAddress('203.0.113.9:51234')).toBe('203.0.113.9');
    expect(parseAddress('[2001:DB8::1]:443')).toBe('2001:db8::1');
    expect(parseAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(parseAddress('2001:db8::1')).toBe('2001:db8::1');
    for (const bad of ['', 'unknown', '999.1.1.1', '[2001:db8::1', 'example.com', '1.2.3.4 5.6.7.8']) expect(parseAddress(bad), bad).toBeNull();
  });

  it('counts an IPv6 client by its /64, an IPv4 client by its address', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('2001:0DB8:0001:0002::')).toBe('2001:db8:1:2::/64');
    expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
  });
});

describe('clientIp (the rate-limit identity at the HTTP edge)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvCache();
  });
  const ctx = (xff?: string) => ({
    clientAddress: '10.0.0.5',
    request: new Request('http://localhost/sign-in', { headers: xff ? { 'x-forwarded-for': xff } : {} }),
  });

  it('uses the socket by default, whatever the header says', () => {
    vi.stubEnv('TRUST_PROXY', '');
    resetEnvCache();
    expect(clientIp(ctx('198.51.100.7'))).toBe('10.0.0.5');
  });

  it('honours TRUST_PROXY', () => {
    vi.stubEnv('TRUST_PROXY', '1');
    resetEnvCache();
    expect(clientIp(ctx('6.6.6.6, 198.51.100.7'))).toBe('198.51.100.7');
    expect(clientIp(ctx('2001:db8:1:2::abcd'))).toBe('2001:db8:1:2::/64');
    expect(clientIp(ctx())).toBe('10.0.0.5');
  });

  it('survives an adapter without a socket address', () => {
    const noSocket = {
      get clientAddress(): string {
        throw new Error('clientAddress is not available');
      },
      request: new Request('http://localhost/'),
    };
    expect(clientIp(noSocket)).toBe('unknown');
  });
});

describe('sign-in backoff', () => {
  it('is free for five failures, then doubles from a second up to 15 minutes per pair', () => {
    const p = BACKOFF.signInPair;
    expect([0, 4].map((f) => backoffDelaySeconds(f, p))).toEqual([0, 0]);
    expect([5, 6, 7, 8, 14, 15, 40, 10_000].map((f) => backoffDelaySeconds(f, p))).toEqual([1, 2, 4, 8, 512, 900, 900, 900]);
  });

  it('gives a client a larger budget and a cap of a minute', () => {
    const p = BACKOFF.signInClient;
    expect(p.free).toBeGreaterThan(BACKOFF.signInPair.free);
    expect(backoffDelaySeconds(p.free - 1, p)).toBe(0);
    expect(backoffDelaySeconds(p.free, p)).toBe(1);
    expect(backoffDelaySeconds(p.free + 50, p)).toBe(60);
  });

  it('keys a pair by account (case-insensitively) and client, without the email in clear', () => {
    expect(signInKeys.pair(' Casey@Example.com', '203.0.113.9')).toBe(signInKeys.pair('casey@example.com', '203.0.113.9'));
    expect(signInKeys.pair('casey@example.com', '203.0.113.9')).not.toBe(signInKeys.pair('casey@example.com', '203.0.113.10'));
    expect(signInKeys.pair('casey@example.com', '203.0.113.9')).not.toContain('casey');
  });
});
