/**
 * One suite run against all four transaction machines (RFC 3261 §17.1.1, §17.1.2, §17.2.1,
 * §17.2.2), over an unreliable and a reliable transport, with tables of status codes: the
 * state sequence each final response leads to, transport errors, illegal moves, shutdown.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  InviteClientTransaction,
  InviteServerTransaction,
  NonInviteClientTransaction,
  NonInviteServerTransaction,
  TransactionStateError,
  TransportError,
  defaultTransactionTimers,
  type ClientTransactionDelegate,
  type TransportAddress,
} from '../../../../../main/core/sip/transactions/index.js';
import { FakeTransport, flush, request, responseTo, transports } from './helpers.js';

type Machine = InviteClientTransaction | NonInviteClientTransaction | InviteServerTransaction | NonInviteServerTransaction;

interface Recorder extends ClientTransactionDelegate {
  readonly states: string[];
  readonly errors: TransportError[];
  timeouts: number;
  terminated: number;
}

function recorder(): Recorder {
  const r: Recorder = {
    states: [],
    errors: [],
    timeouts: 0,
    terminated: 0,
    onStateChange: (state) => void r.states.push(state),
    onTransportError: (error) => void r.errors.push(error),
    onTimeout: () => void r.timeouts++,
    onTerminated: () => void r.terminated++,
  };
  return r;
}

interface Kind {
  readonly name: string;
  readonly initial: string;
  create(transport: FakeTransport, peer: TransportAddress, delegate: Recorder): Machine;
  /** The TU's or the peer's response `status` reaching the machine. */
  feed(machine: Machine, status: number): void;
}

const branch = 'z9hG4bK776asdhds';

const kinds: readonly Kind[] = [
  {
    name: 'InviteClientTransaction',
    initial: 'Calling',
    create: (t, peer, d) => new InviteClientTransaction(request('INVITE', { branch }), peer, t, defaultTransactionTimers, d),
    feed: (m, status) => (m as InviteClientTransaction).receiveResponse(responseTo(m.request, status)),
  },
  {
    name: 'NonInviteClientTransaction',
    initial: 'Trying',
    create: (t, peer, d) => new NonInviteClientTransaction(request('OPTIONS', { branch }), peer, t, defaultTransactionTimers, d),
    feed: (m, status) => (m as NonInviteClientTransaction).receiveResponse(responseTo(m.request, status)),
  },
  {
    name: 'InviteServerTransaction',
    initial: 'Proceeding',
    create: (t, peer, d) => new InviteServerTransaction(request('INVITE', { branch }), peer, t, defaultTransactionTimers, d),
    feed: (m, status) => (m as InviteServerTransaction).respond(responseTo(m.request, status)),
  },
  {
    name: 'NonInviteServerTransaction',
    initial: 'Trying',
    create: (t, peer, d) => new NonInviteServerTransaction(request('OPTIONS', { branch }), peer, t, defaultTransactionTimers, d),
    feed: (m, status) => (m as NonInviteServerTransaction).respond(responseTo(m.request, status)),
  },
];

/**
 * 180 then a final response, then 64*T1 + T4 of silence: the states each machine reports.
 * Unreliable: D/I/J/K/L/M wait; reliable: D/J/K are zero. The INVITE server's non-2xx ends by
 * Timer H (no ACK comes) on both.
 */
const finalResponses: readonly { kind: string; status: number; udp: string[]; tcp: string[] }[] = [
  { kind: 'InviteClientTransaction', status: 200, udp: ['Proceeding', 'Accepted', 'Terminated'], tcp: ['Proceeding', 'Accepted', 'Terminated'] },
  { kind: 'InviteClientTransaction', status: 302, udp: ['Proceeding', 'Completed', 'Terminated'], tcp: ['Proceeding', 'Completed', 'Terminated'] },
  { kind: 'InviteClientTransaction', status: 486, udp: ['Proceeding', 'Completed', 'Terminated'], tcp: ['Proceeding', 'Completed', 'Terminated'] },
  { kind: 'InviteClientTransaction', status: 603, udp: ['Proceeding', 'Completed', 'Terminated'], tcp: ['Proceeding', 'Completed', 'Terminated'] },
  { kind: 'NonInviteClientTransaction', status: 200, udp: ['Proceeding', 'Completed', 'Terminated'], tcp: ['Proceeding', 'Completed', 'Terminated'] },
  { kind: 'NonInviteClientTransaction', status: 404, udp: ['Proceeding', 'Completed', 'Terminated'], tcp: ['Proceeding', 'Completed', 'Terminated'] },
  { kind: 'NonInviteClientTransaction', status: 503, udp: ['Proceeding', 'Completed', 'Terminated'], tcp: ['Proceeding', 'Completed', 'Terminated'] },
  // The INVITE server starts in Proceeding: the 180 is a self-transition, not reported.
  { kind: 'InviteServerTransaction', status: 200, udp: ['Accepted', 'Terminated'], tcp: ['Accepted', 'Terminated'] },
  { kind: 'InviteServerTransaction', status: 302, udp: ['Completed', 'Terminated'], tcp: ['Completed', 'Terminated'] },
  { kind: 'InviteServerTransaction', status: 486, udp: ['Completed', 'Terminated'], tcp: ['Completed', 'Terminated'] },
  { kind: 'NonInviteServerTransaction', status: 200, udp: ['Proceeding', 'Completed', 'Terminated'], tcp: ['Proceeding', 'Completed', 'Terminated'] },
  { kind: 'NonInviteServerTransaction', status: 481, udp: ['Proceeding', 'Completed', 'Terminated'], tcp: ['Proceeding', 'Completed', 'Terminated'] },
];

/** When each machine, after its final response at t=0, reaches Terminated. */
const terminatedAfter: Record<string, Record<string, { udp: number; tcp: number }>> = {
  InviteClientTransaction: { '2xx': { udp: 32000, tcp: 32000 }, other: { udp: 32000, tcp: 0 } },
  NonInviteClientTransaction: { '2xx': { udp: 5000, tcp: 0 }, other: { udp: 5000, tcp: 0 } },
  InviteServerTransaction: { '2xx': { udp: 32000, tcp: 32000 }, other: { udp: 32000, tcp: 32000 } },
  NonInviteServerTransaction: { '2xx': { udp: 32000, tcp: 0 }, other: { udp: 32000, tcp: 0 } },
};

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe.each(kinds)('$name', (kind) => {
  describe.each(transports)('over $name', ({ reliable, peer }) => {
    it(`starts in ${kind.initial}`, () => {
      const t = new FakeTransport(reliable);
      const m = kind.create(t, peer, recorder());
      expect(m.state).toBe(kind.initial);
      expect(m.reliable).toBe(reliable);
      m.dispose();
    });

    it.each(finalResponses.filter((row) => row.kind === kind.name))('180 then $status: states in order, then Terminated on time', ({ status, udp, tcp }) => {
      const t = new FakeTransport(reliable);
      const d = recorder();
      const m = kind.create(t, peer, d);
      kind.feed(m, 180);
      kind.feed(m, status);
      const end = terminatedAfter[kind.name]![status < 300 ? '2xx' : 'other']![reliable ? 'tcp' : 'udp'];
      if (end > 0) {
        vi.advanceTimersByTime(end - 1);
        expect(m.state).not.toBe('Terminated');
        vi.advanceTimersByTime(1);
      }
      expect(d.states).toEqual(reliable ? tcp : udp);
      expect(m.state).toBe('Terminated');
      expect(d.terminated).toBe(1);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('reports a transport error and terminates (§17.1.1.2, §17.1.2.2, §17.2.4)', async () => {
      const t = new FakeTransport(reliable);
      t.failWith = new Error('ENETUNREACH');
      const d = recorder();
      const m = kind.create(t, peer, d);
      // Servers send nothing until the TU answers.
      if (m instanceof InviteServerTransaction || m instanceof NonInviteServerTransaction) kind.feed(m, 180);
      await flush();
      expect(d.errors).toHaveLength(1);
      expect(d.errors[0]).toBeInstanceOf(TransportError);
      expect(d.errors[0]!.cause).toBe(t.failWith);
      expect(m.state).toBe('Terminated');
      expect(d.terminated).toBe(1);
      const sends = t.sent.length;
      vi.advanceTimersByTime(64 * 500 + 5000);
      expect(t.sent).toHaveLength(sends);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('refuses an illegal move with TransactionStateError and keeps its state', () => {
      const t = new FakeTransport(reliable);
      const m = kind.create(t, peer, recorder());
      kind.feed(m, 486);
      const before = m.state;
      if (m instanceof InviteServerTransaction || m instanceof NonInviteServerTransaction) {
        // A provisional response after the final one has no arrow in Figures 7 and 8.
        expect(() => kind.feed(m, 180)).toThrow(TransactionStateError);
        expect(m.state).toBe(before);
      } else {
        // Late responses are input from the network, never an error: they are absorbed.
        const sends = t.sent.length;
        kind.feed(m, 180);
        expect(m.state).toBe(before);
        expect(t.sent.length - sends).toBe(0);
      }
      m.dispose();
    });

    it('after Terminated, ignores responses and timers; a server refuses to respond', () => {
      const t = new FakeTransport(reliable);
      const d = recorder();
      const m = kind.create(t, peer, d);
      m.dispose();
      expect(m.state).toBe('Terminated');
      expect(d.terminated).toBe(1);
      const sends = t.sent.length;
      if (m instanceof InviteServerTransaction || m instanceof NonInviteServerTransaction) {
        expect(() => kind.feed(m, 200)).toThrow(TransactionStateError);
        m.receiveRequest(m.request);
      } else {
        kind.feed(m, 200);
      }
      vi.advanceTimersByTime(60_000);
      expect(t.sent).toHaveLength(sends);
      expect(d.states).toEqual(['Terminated']);
    });
  });
});
