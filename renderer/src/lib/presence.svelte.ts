/** Our presence, the contacts and extensions we watch, and voicemail waiting, kept current by events. */
import { SvelteMap } from 'svelte/reactivity';
import type { OwnPresence, VoicemailState, WatchedEntity } from '../../../shared/model.js';
import type { PhoneApi } from '../../../shared/phone-api.js';
import type { Listen } from './events.js';
import { upsertVoicemail, type OwnStatus } from './presence.js';

export class PresenceState {
  own = $state.raw<OwnPresence | undefined>(undefined);
  /** By the URI the core watches (normalised by it: `sip:bob@example.com`). */
  readonly watched = new SvelteMap<string, WatchedEntity>();
  voicemail = $state.raw<VoicemailState[]>([]);

  readonly #api: PhoneApi;

  constructor(api: PhoneApi) {
    this.#api = api;
  }

  start(on: Listen): void {
    on('presence.own', (own) => (this.own = own));
    on('presence.contact', (entity) => {
      if (entity.presence || entity.blf) this.watched.set(entity.uri, entity);
      else this.watched.delete(entity.uri);
    });
    on('voicemail.state', (state) => (this.voicemail = upsertVoicemail(this.voicemail, state)));
  }

  async refresh(): Promise<void> {
    const [presence, voicemail] = await Promise.all([this.#api.presence.get({}), this.#api.voicemail.list({})]);
    this.own = presence.own;
    this.watched.clear();
    for (const entity of presence.watched) this.watched.set(entity.uri, entity);
    this.voicemail = voicemail;
  }

  async set(status: OwnStatus, note: string | undefined): Promise<void> {
    const text = note?.trim() ?? '';
    this.own = await this.#api.presence.set(text === '' ? { status } : { status, note: text });
  }

  async watch(uri: string, displayName: string, presence: boolean, blf: boolean): Promise<WatchedEntity> {
    const entity = await this.#api.presence.watch({ uri, displayName: displayName.slice(0, 128), presence, blf });
    this.watched.set(entity.uri, entity);
    return entity;
  }

  async unwatch(uri: string): Promise<void> {
    await this.#api.presence.unwatch({ uri });
    this.watched.delete(uri);
  }
}
