// Unit tests of the data plane's small pure modules: routing, throttling, fault injection, paging.
import { FaultInjector, mulberry32, parseFaultStatus } from '../../../emulator/keyvault/faults.js';
import { takePage, decodeSkipToken, encodeSkipToken } from '../../../emulator/keyvault/paging.js';
import { matchRoute } from '../../../emulator/keyvault/secrets-api.js';
import { parseThrottle, SlidingWindowThrottle } from '../../../emulator/keyvault/throttle.js';

describe('matchRoute', () => {
  test.each([
    ['PUT', '/secrets/a', 'set', 'a', undefined],
    ['GET', '/secrets/a', 'get', 'a', ''],
    ['GET', '/secrets/a/', 'get', 'a', ''],
    ['GET', '/secrets/a/0123', 'get', 'a', '0123'],
    ['PATCH', '/secrets/a/', 'update', 'a', ''],
    ['PATCH', '/secrets/a/0123', 'update', 'a', '0123'],
    ['GET', '/secrets', 'list', undefined, undefined],
    ['GET', '/secrets/', 'list', undefined, undefined],
    ['GET', '/secrets/a/versions', 'listVersions', 'a', undefined],
    ['DELETE', '/secrets/a', 'delete', 'a', undefined],
    ['GET', '/deletedsecrets', 'listDeleted', undefined, undefined],
    ['GET', '/deletedsecrets/a', 'getDeleted', 'a', undefined],
    ['DELETE', '/deletedsecrets/a', 'purge', 'a', undefined],
    ['POST', '/deletedsecrets/a/recover', 'recover', 'a', undefined],
    ['POST', '/secrets/a/backup', 'backup', 'a', undefined],
    ['POST', '/secrets/restore', 'restore', undefined, undefined],
    ['PUT', '/secrets/restore', 'set', 'restore', undefined],
    ['GET', '/Secrets/A', 'get', 'A', ''],
    ['PUT', '//secrets/a', 'set', 'a', undefined],
    ['PUT', '/secrets/my%2Dname', 'set', 'my-name', undefined],
  ])('%s %s → %s', (method, path, op, name, version) => {
    const m = matchRoute(method, path);
    expect(m.kind).toBe('route');
    if (m.kind !== 'route') return;
    expect(m.route.op).toBe(op);
    expect(m.route.name).toBe(name);
    expect(m.route.version).toBe(version);
    expect(m.route.requestClass).toBe(op === 'set' ? 'set' : 'other');
  });

  test.each([
    ['GET', '/keys'],
    ['GET', '/secrets/a/b/c'],
    ['GET', '/secrets/a/0123/'],
    ['GET', '/'],
    ['GET', '/deletedsecrets/a/purge'],
  ])('%s %s → not found', (method, path) => {
    expect(matchRoute(method, path).kind).toBe('notFound');
  });

  test('a known path with another verb → 405 with the allowed ones', () => {
    expect(matchRoute('POST', '/secrets')).toEqual({ kind: 'methodNotAllowed', allow: ['GET'] });
    expect(matchRoute('POST', '/secrets/a')).toEqual({
      kind: 'methodNotAllowed',
      allow: ['PUT', 'GET', 'PATCH', 'DELETE'],
    });
  });
});

describe('SlidingWindowThrottle', () => {
  const limits = { sets: 2, other: 3, windowMs: 1000 };
  test('admits up to the limit per class within the window, then frees slots as they age out', () => {
    const t = new SlidingWindowThrottle();
    expect([t.admit('set', limits, 0), t.admit('set', limits, 100), t.admit('set', limits, 200)]).toEqual([
      true,
      true,
      false,
    ]);
    expect([
      t.admit('other', limits, 200),
      t.admit('other', limits, 300),
      t.admit('other', limits, 400),
      t.admit('other', limits, 500),
    ]).toEqual([true, true, true, false]);
    expect(t.admit('set', limits, 999)).toBe(false);
    expect(t.admit('set', limits, 1000)).toBe(true); // the call at t=0 left the window
    expect(t.admit('set', limits, 1050)).toBe(false);
  });

  test('refused calls do not count (the service does not count 429s)', () => {
    const t = new SlidingWindowThrottle();
    t.admit('set', limits, 0);
    t.admit('set', limits, 0);
    for (let i = 0; i < 50; i++) t.admit('set', limits, 500);
    expect(t.admit('set', limits, 1000)).toBe(true);
  });

  test.each([
    ['real', { sets: 300, other: 4000, windowMs: 10000 }],
    ['sets=5,other=7', { sets: 5, other: 7, windowMs: 10000 }],
    ['sets=5', { sets: 5, other: Infinity, windowMs: 10000 }],
    ['other=1,window=0.5', { sets: Infinity, other: 1, windowMs: 500 }],
    ['none', null],
  ])('parseThrottle(%s)', (spec, expected) => {
    expect(parseThrottle(spec)).toEqual(expected);
  });

  test.each([['lots'], ['sets=x'], ['sets=1;other=2'], ['window=0']])('parseThrottle(%s) throws', (spec) => {
    expect(() => parseThrottle(spec)).toThrow(/invalid throttle/);
  });
});

describe('faults', () => {
  test('the PRNG is deterministic per seed and different across seeds', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const c = mulberry32(2);
    const sa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(sa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
    expect(sa.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  test('rate 0 never fails and does not consume the sequence; rate 1 always fails', () => {
    const f = new FaultInjector(9);
    expect(f.shouldFail(0)).toBe(false);
    const g = new FaultInjector(9);
    expect(Array.from({ length: 20 }, () => f.shouldFail(0.5))).toEqual(
      Array.from({ length: 20 }, () => g.shouldFail(0.5)),
    );
    expect(Array.from({ length: 20 }, () => f.shouldFail(1)).every(Boolean)).toBe(true);
  });

  test('fault statuses', () => {
    expect(parseFaultStatus('429')).toBe(429);
    expect(parseFaultStatus(503)).toBe(503);
    expect(parseFaultStatus('RESET')).toBe('reset');
    expect(parseFaultStatus('stall')).toBe('stall');
    expect(parseFaultStatus('hang')).toBe('stall'); // an alias
    expect(() => parseFaultStatus('404')).toThrow();
  });
});

describe('paging', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];
  test('pages after a marker; the last page has no marker', () => {
    expect(takePage(items, (x) => x, undefined, 2)).toEqual({ page: ['a', 'b'], nextMarker: 'b' });
    expect(takePage(items, (x) => x, 'b', 2)).toEqual({ page: ['c', 'd'], nextMarker: 'd' });
    expect(takePage(items, (x) => x, 'd', 2)).toEqual({ page: ['e'], nextMarker: undefined });
    expect(takePage(items, (x) => x, undefined, 5)).toEqual({ page: items, nextMarker: undefined });
  });

  test('a marker deleted meanwhile continues after the next larger key', () => {
    expect(takePage(['a', 'c', 'd'], (x) => x, 'b', 1)).toEqual({ page: ['c'], nextMarker: 'c' });
  });

  test('skip tokens round-trip and forged ones are refused', () => {
    expect(decodeSkipToken(encodeSkipToken('name-1'))).toBe('name-1');
    expect(() => decodeSkipToken('%%%')).toThrow(/skiptoken/);
  });
});
