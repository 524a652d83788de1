/** Following an entity's dialogs through full and partial documents (RFC 4235 §4.1.1, §4.1.2). */
import { describe, expect, it } from 'vitest';
import { DialogInfoView, type DialogInfoDocument } from '../../../../../main/core/sip/events/index.js';

const doc = (version: number, state: 'full' | 'partial', dialogs: DialogInfoDocument['dialogs']): DialogInfoDocument => ({ entity: 'sip:bob@example.org', version, state, dialogs });

describe('DialogInfoView', () => {
  it('bob rings, answers, hangs up: full then partial updates', () => {
    const view = new DialogInfoView();
    expect(view.apply(doc(0, 'full', []))).toBe('applied');
    expect(view.apply(doc(1, 'partial', [{ id: 'a', state: 'early', direction: 'recipient' }]))).toBe('applied');
    expect(view.dialogs.map((d) => d.state)).toEqual(['early']);
    view.apply(doc(2, 'partial', [{ id: 'a', state: 'confirmed' }]));
    expect(view.dialogs.map((d) => d.state)).toEqual(['confirmed']);
    view.apply(doc(3, 'partial', [{ id: 'a', state: 'terminated', event: 'remote-bye' }]));
    expect(view.dialogs).toEqual([]);
  });

  it('ignores old versions and reports a gap in partial ones', () => {
    const view = new DialogInfoView();
    view.apply(doc(5, 'full', [{ id: 'a', state: 'confirmed' }]));
    expect(view.apply(doc(5, 'partial', [{ id: 'a', state: 'terminated' }]))).toBe('stale');
    expect(view.dialogs).toHaveLength(1);
    expect(view.apply(doc(8, 'partial', [{ id: 'b', state: 'trying' }]))).toBe('gap');
    expect(view.apply(doc(9, 'full', [{ id: 'c', state: 'trying' }]))).toBe('applied');
    expect(view.dialogs.map((d) => d.id)).toEqual(['c']);
  });
});
