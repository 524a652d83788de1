/**
 * Which SIP messages the history keeps with a call: the dialog its INVITE began, claimed by the
 * call whatever came first (the INVITE's log or the call's first state), messages after the end
 * within the linger, written once more in one batch; INVITEs that never became calls forgotten.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallView, SipLogEntry } from '../../../../shared/model.js';
import { EventHub } from '../../../../main/core/events.js';
import { silentLogger } from '../../../../main/core/log.js';
import type { Contacts } from '../../../../main/core/phone/contacts.js';
import { History, SIP_LOG_LINGER_MS } from '../../../../main/core/phone/history.js';
import { migrate } from '../../../../main/core/store/database.js';
import { HistoryStore } from '../../../../main/core/store/history-store.js';

afterEach(() => vi.useRealTimers());

let seq = 0;
function message(callId: string, firstLine: string, direction: 'in' | 'out' = 'out'): SipLogEntry {
  return { seq: seq++, at: 1000 + seq, direction, transport: 'udp', local: '127.0.0.1:5060', remote: '127.0.0.1:5070', callId, firstLine, text: `${firstLine}\r\nCall-ID: ${callId}\r\n\r\n` };
}

function view(id: string, state: CallView['state']): CallView {
  return { id, accountId: 'a', direction: 'outgoing', state, remote: { uri: 'sip:bob@lab.test' }, contact: { id: 'c', name: 'Bob' }, startedAt: 1000, ...(state === 'terminated' ? { endedAt: 2000 } : {}) };
}

function setup(sipCallIds: Record<string, string>) {
  vi.useFakeTimers();
  const db = new Database(':memory:');
  migrate(db);
  const store = new HistoryStore(db);
  const events = new EventHub(silentLogger);
  const writes = vi.spyOn(store, 'putSipLog');
  const history = new History(store, events, {} as Contacts, undefined, (id) => sipCallIds[id]);
  const firstLines = (id: string) => history.sipLog(id).messages.map((m) => m.firstLine);
  return { events, history, writes, firstLines };
}

describe('History: a call keeps its SIP messages', () => {
  it("takes the dialog its INVITE began, not others; late messages join within the linger, in one write", () => {
    const { events, writes, firstLines } = setup({ 'call-1': 'sip-1' });
    events.emit('log.sip', message('reg-1', 'REGISTER sip:lab.test SIP/2.0'));
    events.emit('log.sip', message('sip-1', 'INVITE sip:bob@lab.test SIP/2.0'));
    events.emit('call.state', view('call-1', 'calling'));
    events.emit('log.sip', message('other', 'OPTIONS sip:bob@lab.test SIP/2.0'));
    events.emit('log.sip', message('sip-1', 'SIP/2.0 486 Busy Here', 'in'));
    events.emit('call.state', view('call-1', 'terminated'));
    expect(firstLines('call-1')).toEqual(['INVITE sip:bob@lab.test SIP/2.0', 'SIP/2.0 486 Busy Here']);
    events.emit('log.sip', message('sip-1', 'ACK sip:bob@lab.test SIP/2.0'));
    events.emit('log.sip', message('sip-1', 'ACK sip:bob@lab.test SIP/2.0'));
    expect(writes).not.toHaveBeenCalled();
    vi.advanceTimersByTime(SIP_LOG_LINGER_MS);
    expect(writes).toHaveBeenCalledTimes(1);
    expect(firstLines('call-1')).toEqual(['INVITE sip:bob@lab.test SIP/2.0', 'SIP/2.0 486 Busy Here', 'ACK sip:bob@lab.test SIP/2.0', 'ACK sip:bob@lab.test SIP/2.0']);
    // After the linger the dialog is forgotten: a stray retransmission is not kept.
    events.emit('log.sip', message('sip-1', 'SIP/2.0 486 Busy Here', 'in'));
    vi.advanceTimersByTime(SIP_LOG_LINGER_MS);
    expect(writes).toHaveBeenCalledTimes(1);
  });

  it("is claimed by a call whose first state comes before its INVITE's log; nothing more after the end, no second write", () => {
    const { events, writes, firstLines } = setup({ 'call-2': 'sip-2' });
    events.emit('call.state', view('call-2', 'calling'));
    events.emit('log.sip', message('sip-2', 'INVITE sip:bob@lab.test SIP/2.0'));
    events.emit('log.sip', message('sip-2', 'SIP/2.0 200 OK', 'in'));
    events.emit('call.state', view('call-2', 'terminated'));
    vi.advanceTimersByTime(SIP_LOG_LINGER_MS);
    expect(firstLines('call-2')).toEqual(['INVITE sip:bob@lab.test SIP/2.0', 'SIP/2.0 200 OK']);
    expect(writes).not.toHaveBeenCalled();
  });

  it('forgets INVITEs that never became calls beyond a few (a flood does not grow memory), and writes what lingers when closed', () => {
    const { events, history, firstLines } = setup({ 'call-3': 'flood-0', 'call-4': 'flood-99' });
    for (let i = 0; i < 100; i++) events.emit('log.sip', message(`flood-${i}`, 'INVITE sip:eve@lab.test SIP/2.0', 'in'));
    // The first INVITE of the flood was forgotten; its call only has what came after it claimed it.
    events.emit('call.state', view('call-3', 'incoming'));
    events.emit('call.state', view('call-4', 'incoming'));
    events.emit('log.sip', message('flood-0', 'SIP/2.0 180 Ringing'));
    events.emit('log.sip', message('flood-99', 'SIP/2.0 180 Ringing'));
    events.emit('call.state', view('call-3', 'terminated'));
    events.emit('call.state', view('call-4', 'terminated'));
    expect(firstLines('call-3')).toEqual(['SIP/2.0 180 Ringing']);
    expect(firstLines('call-4')).toEqual(['INVITE sip:eve@lab.test SIP/2.0', 'SIP/2.0 180 Ringing']);
    events.emit('log.sip', message('flood-99', 'SIP/2.0 487 Request Terminated'));
    history.close();
    expect(firstLines('call-4')).toEqual(['INVITE sip:eve@lab.test SIP/2.0', 'SIP/2.0 180 Ringing', 'SIP/2.0 487 Request Terminated']);
  });
});
