/**
 * Alice publishes her presence (RFC 3903): the initial PUBLISH, refreshes and modifications
 * under the entity-tag, removal, and what the server's refusals mean.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Publication, PublicationState, type PublicationOptions } from '../../../../../main/core/sip/subscriptions/index.js';
import { SubscriptionHarness } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

async function start(h: SubscriptionHarness, options: Partial<PublicationOptions> = {}) {
  const log = { states: [] as PublicationState[], unsupported: [] as number[], failed: [] as number[] };
  const publication = new Publication(h.context, {
    target: 'sip:alice@example.test',
    event: 'presence',
    contentType: 'application/pidf+xml',
    expires: 600,
    refreshJitter: 0,
    delegate: {
      onStateChange: (s) => log.states.push(s),
      onUnsupported: (code) => log.unsupported.push(code),
      onFailed: (code) => log.failed.push(code),
    },
    ...options,
  });
  publication.publish('<presence>open</presence>');
  await h.flush();
  return { publication, log, first: h.last('PUBLISH') };
}

async function published(h: SubscriptionHarness, options: Partial<PublicationOptions> = {}) {
  const started = await start(h, options);
  h.answer(started.first, 200, { headers: [['SIP-ETag', 'etag-1'], ['Expires', '600']] });
  await h.flush();
  expect(started.publication.state).toBe(PublicationState.Published);
  return started;
}

describe('Publication (RFC 3903)', () => {
  it('the initial PUBLISH carries Event, Expires and the body, no SIP-If-Match and no Contact (§4.1)', async () => {
    const h = new SubscriptionHarness();
    (h.settings as { routeSet: readonly string[] }).routeSet = ['<sip:proxy.example.test;lr>'];
    const { first, publication } = await start(h);
    expect(first.method).toBe('PUBLISH');
    expect(first.uri.toString()).toBe('sip:alice@example.test');
    expect(first.get('To')).toBe('<sip:alice@example.test>');
    expect(first.from.tag).toBeDefined();
    expect(first.get('Event')).toBe('presence');
    expect(first.expires).toBe(600);
    expect(first.get('Content-Type')).toBe('application/pidf+xml');
    expect(first.get('SIP-If-Match')).toBeUndefined();
    expect(first.get('Contact')).toBeUndefined();
    expect(first.get('Route')).toBe('<sip:proxy.example.test;lr>');
    expect(new TextDecoder().decode(first.body)).toBe('<presence>open</presence>');
    expect(publication.state).toBe(PublicationState.Publishing);
  });

  it('2xx: the entity-tag is kept; the refresh before expiry names it and has no body (§4.2)', async () => {
    const h = new SubscriptionHarness();
    const { first, publication } = await published(h);
    expect(publication.entityTag).toBe('etag-1');
    // 600 s granted: refresh 32 s before.
    await vi.advanceTimersByTimeAsync(567_000);
    expect(h.sent('PUBLISH')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    const refresh = h.last('PUBLISH');
    expect(refresh).not.toBe(first);
    expect(refresh.get('SIP-If-Match')).toBe('etag-1');
    expect(refresh.body.length).toBe(0);
    expect(refresh.get('Content-Type')).toBeUndefined();
    expect(refresh.expires).toBe(600);
    expect(refresh.callId).toBe(first.callId);
    expect(refresh.cseq.seq).toBe(first.cseq.seq + 1);
    h.answer(refresh, 200, { headers: [['SIP-ETag', 'etag-2'], ['Expires', '600']] });
    await h.flush();
    expect(publication.entityTag).toBe('etag-2');
    await vi.advanceTimersByTimeAsync(568_000);
    expect(h.last('PUBLISH').get('SIP-If-Match')).toBe('etag-2');
  });

  it('a shorter Expires in the 2xx brings the refresh earlier', async () => {
    const h = new SubscriptionHarness();
    const { first } = await start(h);
    h.answer(first, 200, { headers: [['SIP-ETag', 'e'], ['Expires', '60']] });
    await h.flush();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(h.sent('PUBLISH')).toHaveLength(2);
  });

  it('the refresh jitter only brings refreshes earlier', async () => {
    const h = new SubscriptionHarness();
    const { first } = await start(h, { refreshJitter: 0.5, random: () => 0.5 });
    h.answer(first, 200, { headers: [['SIP-ETag', 'e'], ['Expires', '600']] });
    await h.flush();
    // base 568 s × (1 − 0.25) = 426 s
    await vi.advanceTimersByTimeAsync(425_000);
    expect(h.sent('PUBLISH')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.sent('PUBLISH')).toHaveLength(2);
  });

  it('a new body modifies the state: SIP-If-Match and the body (§4.3)', async () => {
    const h = new SubscriptionHarness();
    const { publication } = await published(h);
    publication.publish('<presence>busy</presence>');
    await h.flush();
    const modify = h.last('PUBLISH');
    expect(modify.get('SIP-If-Match')).toBe('etag-1');
    expect(new TextDecoder().decode(modify.body)).toBe('<presence>busy</presence>');
    expect(modify.get('Content-Type')).toBe('application/pidf+xml');
  });

  it('bodies set while a PUBLISH is in flight: only the last goes out, after the answer', async () => {
    const h = new SubscriptionHarness();
    const { first, publication } = await start(h);
    publication.publish('<presence>two</presence>');
    publication.publish('<presence>three</presence>');
    await h.flush();
    expect(h.sent('PUBLISH')).toHaveLength(1);
    h.answer(first, 200, { headers: [['SIP-ETag', 'etag-1']] });
    await h.flush();
    const modify = h.last('PUBLISH');
    expect(h.sent('PUBLISH')).toHaveLength(2);
    expect(modify.get('SIP-If-Match')).toBe('etag-1');
    expect(new TextDecoder().decode(modify.body)).toBe('<presence>three</presence>');
  });

  it('412 Conditional Request Failed to a refresh: a new initial PUBLISH with the body (§4.2)', async () => {
    const h = new SubscriptionHarness();
    const { publication } = await published(h);
    await vi.advanceTimersByTimeAsync(568_000);
    const refresh = h.last('PUBLISH');
    h.answer(refresh, 412);
    await h.flush();
    const again = h.last('PUBLISH');
    expect(again).not.toBe(refresh);
    expect(again.get('SIP-If-Match')).toBeUndefined();
    expect(new TextDecoder().decode(again.body)).toBe('<presence>open</presence>');
    h.answer(again, 200, { headers: [['SIP-ETag', 'etag-9']] });
    await h.flush();
    expect(publication.entityTag).toBe('etag-9');
    expect(publication.state).toBe(PublicationState.Published);
  });

  it('423 Interval Too Brief: asks again for Min-Expires', async () => {
    const h = new SubscriptionHarness();
    const { first, publication } = await start(h);
    h.answer(first, 423, { headers: [['Min-Expires', '1800']] });
    await h.flush();
    const again = h.last('PUBLISH');
    expect(again.expires).toBe(1800);
    expect(again.body.length).toBeGreaterThan(0);
    h.answer(again, 200, { headers: [['SIP-ETag', 'e'], ['Expires', '1800']] });
    await h.flush();
    expect(publication.state).toBe(PublicationState.Published);
    await vi.advanceTimersByTimeAsync(1_767_000);
    expect(h.sent('PUBLISH')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.last('PUBLISH').expires).toBe(1800);
    expect(h.last('PUBLISH').get('SIP-If-Match')).toBe('e');
  });

  it('423 without a larger Min-Expires is a failure', async () => {
    const h = new SubscriptionHarness();
    const { first, publication, log } = await start(h);
    h.answer(first, 423);
    await h.flush();
    expect(publication.state).toBe(PublicationState.Failed);
    expect(log.failed).toEqual([423]);
  });

  it.each([405, 489, 501])('%i: unsupported — stops and says so, nothing more is sent', async (status) => {
    const h = new SubscriptionHarness();
    const { first, publication, log } = await start(h);
    h.answer(first, status);
    await h.flush();
    expect(publication.state).toBe(PublicationState.Unsupported);
    expect(log.unsupported).toEqual([status]);
    publication.publish('<presence>busy</presence>');
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(h.sent('PUBLISH')).toHaveLength(1);
    await publication.remove();
    expect(h.sent('PUBLISH')).toHaveLength(1);
  });

  it('a 2xx without SIP-ETag: published, and published afresh (with the body) at the refresh time', async () => {
    const h = new SubscriptionHarness();
    const { first, publication } = await start(h);
    h.answer(first, 200, { headers: [['Expires', '600']] });
    await h.flush();
    expect(publication.state).toBe(PublicationState.Published);
    expect(publication.entityTag).toBeUndefined();
    await vi.advanceTimersByTimeAsync(568_000);
    const again = h.last('PUBLISH');
    expect(again).not.toBe(first);
    expect(again.get('SIP-If-Match')).toBeUndefined();
    expect(new TextDecoder().decode(again.body)).toBe('<presence>open</presence>');
  });

  it('489 to a refresh: unsupported from then on (the server changed its mind)', async () => {
    const h = new SubscriptionHarness();
    const { publication, log } = await published(h);
    await vi.advanceTimersByTimeAsync(568_000);
    h.answer(h.last('PUBLISH'), 489);
    await h.flush();
    expect(publication.state).toBe(PublicationState.Unsupported);
    expect(log.unsupported).toEqual([489]);
    expect(publication.entityTag).toBeUndefined();
  });

  it('403: failed for good', async () => {
    const h = new SubscriptionHarness();
    const { first, publication, log } = await start(h);
    h.answer(first, 403);
    await h.flush();
    expect(publication.state).toBe(PublicationState.Failed);
    expect(log.failed).toEqual([403]);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(h.sent('PUBLISH')).toHaveLength(1);
  });

  it('no answer: tries the initial PUBLISH again after the retry delay', async () => {
    const h = new SubscriptionHarness();
    const { first, publication } = await start(h, { retryDelaySeconds: 30 });
    h.timeout(first);
    await h.flush();
    expect(publication.state).toBe(PublicationState.RetryWait);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(h.sent('PUBLISH')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.sent('PUBLISH')).toHaveLength(2);
    expect(h.last('PUBLISH').get('SIP-If-Match')).toBeUndefined();
  });

  it('503 with Retry-After to a refresh: the refresh again after it, with the entity-tag', async () => {
    const h = new SubscriptionHarness();
    await published(h);
    await vi.advanceTimersByTimeAsync(568_000);
    h.answer(h.last('PUBLISH'), 503, { headers: [['Retry-After', '10']] });
    await h.flush();
    await vi.advanceTimersByTimeAsync(10_000);
    const again = h.last('PUBLISH');
    expect(h.sent('PUBLISH')).toHaveLength(3);
    expect(again.get('SIP-If-Match')).toBe('etag-1');
    expect(again.body.length).toBe(0);
  });

  it('remove(): Expires 0 with SIP-If-Match and no body; nothing after (§4.4)', async () => {
    const h = new SubscriptionHarness();
    const { publication, log } = await published(h);
    const removed = publication.remove();
    await h.flush();
    const removal = h.last('PUBLISH');
    expect(removal.expires).toBe(0);
    expect(removal.get('SIP-If-Match')).toBe('etag-1');
    expect(removal.body.length).toBe(0);
    expect(publication.state).toBe(PublicationState.Removing);
    h.answer(removal, 200, { headers: [['SIP-ETag', 'etag-2']] });
    await removed;
    expect(publication.state).toBe(PublicationState.Removed);
    expect(log.states.at(-1)).toBe(PublicationState.Removed);
    publication.publish('<presence/>');
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(h.sent('PUBLISH')).toHaveLength(2);
  });

  it('remove() while the initial PUBLISH is in flight: waits for its entity-tag, then removes', async () => {
    const h = new SubscriptionHarness();
    const { first, publication } = await start(h);
    const removed = publication.remove();
    await h.flush();
    expect(h.sent('PUBLISH')).toHaveLength(1);
    h.answer(first, 200, { headers: [['SIP-ETag', 'etag-1']] });
    await h.flush();
    const removal = h.last('PUBLISH');
    expect(removal.expires).toBe(0);
    expect(removal.get('SIP-If-Match')).toBe('etag-1');
    h.answer(removal, 200);
    await removed;
    expect(publication.state).toBe(PublicationState.Removed);
  });

  it('remove() before anything was published sends nothing', async () => {
    const h = new SubscriptionHarness();
    const { first, publication } = await start(h);
    h.answer(first, 500);
    await h.flush();
    await publication.remove();
    expect(publication.state).toBe(PublicationState.Removed);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(h.sent('PUBLISH')).toHaveLength(1);
  });

  it('a removal that gets no answer still ends', async () => {
    const h = new SubscriptionHarness();
    const { publication } = await published(h);
    const removed = publication.remove();
    await h.flush();
    h.timeout(h.last('PUBLISH'));
    await removed;
    expect(publication.state).toBe(PublicationState.Removed);
  });

  it('dispose(): no timer fires afterwards', async () => {
    const h = new SubscriptionHarness();
    const { publication } = await published(h);
    publication.dispose();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(h.sent('PUBLISH')).toHaveLength(1);
    expect(publication.state).toBe(PublicationState.Removed);
  });
});
