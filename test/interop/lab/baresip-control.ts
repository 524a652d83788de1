/**
 * Client for baresip's ctrl_tcp module: netstring-framed JSON (`<len>:<json>,`) both ways over
 * one TCP connection (one client per baresip at a time).
 *
 *   request  {"command":"dial","params":"sip:bob@lab.test","token":"t1"}
 *   response {"response":true,"ok":true,"data":"...","token":"t1"}
 *   event    {"event":true,"class":"call","type":"CALL_ESTABLISHED","peeruri":"...","id":"..."}
 *
 * Every event is buffered from the moment the connection is up, so waitForEvent() never misses
 * one that arrived before it was called; each event is handed out once (consumed).
 */
import { connect, type Socket } from 'node:net';
import { sleep } from './process.js';

export interface BaresipResponse {
  readonly response: true;
  readonly ok: boolean;
  readonly data: string;
  readonly token?: string;
}

export interface BaresipEvent {
  readonly event: true;
  /** "call", "register", "application", ... */
  readonly class?: string;
  /** "CALL_INCOMING", "CALL_RINGING", "CALL_ESTABLISHED", "CALL_CLOSED", "REGISTER_OK", ... */
  readonly type: string;
  readonly accountaor?: string;
  readonly direction?: 'incoming' | 'outgoing';
  readonly peeruri?: string;
  /** Call id (baresip's, not the SIP Call-ID necessarily). */
  readonly id?: string;
  readonly param?: string;
  /** When it was received (Date.now()). */
  readonly receivedAt: number;
  readonly [key: string]: unknown;
}

export function encodeNetstring(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]);
}

/** Splits complete netstrings off the front of `buf`; returns them and the unparsed rest. */
export function decodeNetstrings(buf: Buffer): { frames: string[]; rest: Buffer } {
  const frames: string[] = [];
  let rest = buf;
  for (;;) {
    const colon = rest.indexOf(0x3a);
    if (colon < 0) break;
    const len = Number(rest.subarray(0, colon).toString('ascii'));
    if (!Number.isInteger(len) || len < 0) throw new Error(`baresip ctrl: bad netstring length '${rest.subarray(0, Math.min(colon, 20)).toString()}'`);
    if (rest.length < colon + 1 + len + 1) break;
    frames.push(rest.subarray(colon + 1, colon + 1 + len).toString('utf8'));
    rest = rest.subarray(colon + 1 + len + 1);
  }
  return { frames, rest };
}

interface EventWaiter {
  readonly types: readonly string[];
  readonly match: ((event: BaresipEvent) => boolean) | undefined;
  readonly resolve: (event: BaresipEvent) => void;
}

export class BaresipControl {
  private buffer: Buffer = Buffer.alloc(0);
  private nextToken = 1;
  private readonly pending = new Map<string, { resolve: (r: BaresipResponse) => void; reject: (e: Error) => void }>();
  private readonly unconsumed: BaresipEvent[] = [];
  private readonly waiters = new Set<EventWaiter>();
  /** Every event received so far, consumed or not (for diagnostics). */
  readonly history: BaresipEvent[] = [];
  /** Frames that were not valid JSON (for diagnostics). */
  readonly unparsed: string[] = [];
  private closedError: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    readonly label: string,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(new Error(`baresip ctrl ${label}: ${error.message}`)));
    socket.on('close', () => this.fail(new Error(`baresip ctrl ${label}: connection closed`)));
  }

  /** Connects to ctrl_tcp at 127.0.0.1:port, retrying until `timeoutMs` (baresip may be starting). */
  static async connect(port: number, options: { timeoutMs?: number; label?: string } = {}): Promise<BaresipControl> {
    const label = options.label ?? `127.0.0.1:${port}`;
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    let lastError = 'timeout';
    while (Date.now() < deadline) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect({ host: '127.0.0.1', port });
          s.once('connect', () => {
            s.removeListener('error', reject);
            resolve(s);
          });
          s.once('error', reject);
        });
        socket.setNoDelay(true);
        return new BaresipControl(socket, label);
      } catch (error) {
        lastError = (error as Error).message;
        await sleep(50);
      }
    }
    throw new Error(`baresip ctrl ${label}: cannot connect in ${(options.timeoutMs ?? 5000) / 1000} s: ${lastError}`);
  }

  private onData(chunk: Buffer): void {
    let frames: string[];
    try {
      const decoded = decodeNetstrings(Buffer.concat([this.buffer, chunk]));
      frames = decoded.frames;
      this.buffer = decoded.rest;
    } catch (error) {
      this.fail(error as Error);
      this.socket.destroy();
      return;
    }
    for (const frame of frames) {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(frame) as Record<string, unknown>;
      } catch {
        this.unparsed.push(frame);
        continue;
      }
      if (message['response'] === true) {
        const token = typeof message['token'] === 'string' ? message['token'] : '';
        const waiter = this.pending.get(token);
        if (waiter) {
          this.pending.delete(token);
          waiter.resolve({ response: true, ok: message['ok'] === true, data: typeof message['data'] === 'string' ? message['data'] : '', token });
        }
      } else if (message['event'] === true && typeof message['type'] === 'string') {
        const event = { ...message, receivedAt: Date.now() } as BaresipEvent;
        this.history.push(event);
        const waiter = [...this.waiters].find((w) => w.types.includes(event.type) && (w.match === undefined || w.match(event)));
        if (waiter) {
          this.waiters.delete(waiter);
          waiter.resolve(event);
        } else this.unconsumed.push(event);
      }
    }
  }

  private fail(error: Error): void {
    if (this.closedError) return;
    this.closedError = error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  /**
   * Sends a baresip long command (`dial`, `accept`, `hangup`, `hold`, `resume`, `transfer`,
   * `send_dtmf`... see `help`) and resolves with its response. Rejects if baresip answers
   * ok:false (unless `allowFailure`), if no response comes within `timeoutMs` (default 5 s), or if
   * the connection is gone.
   */
  command(command: string, params?: string, options: { timeoutMs?: number; allowFailure?: boolean } = {}): Promise<BaresipResponse> {
    if (this.closedError) return Promise.reject(this.closedError);
    const token = `lab-${this.nextToken++}`;
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise<BaresipResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new Error(`baresip ctrl ${this.label}: no response to '${command}${params ? ` ${params}` : ''}' within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(token, {
        resolve: (response) => {
          clearTimeout(timer);
          if (!response.ok && !options.allowFailure) reject(new Error(`baresip ctrl ${this.label}: '${command}${params ? ` ${params}` : ''}' failed: ${response.data}`));
          else resolve(response);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.socket.write(encodeNetstring(params === undefined || params === '' ? { command, token } : { command, params, token }));
    });
  }

  /**
   * The first not-yet-consumed event of one of `type` (and accepted by `match`), buffered or
   * future; rejects after `timeoutMs` (default 10 s) with the events seen meanwhile.
   */
  waitForEvent(type: string | readonly string[], options: { timeoutMs?: number; match?: (event: BaresipEvent) => boolean } = {}): Promise<BaresipEvent> {
    const types = typeof type === 'string' ? [type] : type;
    const index = this.unconsumed.findIndex((e) => types.includes(e.type) && (options.match === undefined || options.match(e)));
    if (index >= 0) {
      const [event] = this.unconsumed.splice(index, 1);
      if (event) return Promise.resolve(event);
    }
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise<BaresipEvent>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.history.map((e) => e.type).join(', ') || 'none';
        reject(new Error(`baresip ${this.label}: no ${types.join('|')} event within ${timeoutMs / 1000} s (events so far: ${seen})`));
      }, timeoutMs);
      const waiter: EventWaiter = {
        types,
        match: options.match,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Takes (consumes) the first buffered event of one of `type`, if any; never waits. */
  takeEvent(type: string | readonly string[]): BaresipEvent | undefined {
    const types = typeof type === 'string' ? [type] : type;
    const index = this.unconsumed.findIndex((e) => types.includes(e.type));
    return index < 0 ? undefined : this.unconsumed.splice(index, 1)[0];
  }

  /** Buffered events not handed out by waitForEvent yet (not consumed by this call). */
  pendingEvents(): readonly BaresipEvent[] {
    return [...this.unconsumed];
  }

  /** Drops buffered events (e.g. between test steps). */
  clearEvents(): void {
    this.unconsumed.length = 0;
  }

  close(): void {
    this.fail(new Error(`baresip ctrl ${this.label}: closed`));
    this.socket.destroy();
  }
}
