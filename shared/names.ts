/**
 * The names in the contract, as plain data: what the Electron preload needs to build
 * `window.phone` without shipping the schemas. `contract.ts` checks that its maps have
 * exactly these keys.
 */
export const methodNames = [
  'app.info',
  'accounts.list',
  'accounts.add',
  'accounts.update',
  'accounts.remove',
  'accounts.register',
  'accounts.unregister',
  'calls.dial',
  'calls.answer',
  'calls.reject',
  'calls.hangup',
  'calls.list',
  'calls.dtmf',
  'calls.mute',
  'calls.hold',
  'calls.transfer',
  'calls.transferReply',
  'calls.merge',
  'calls.split',
  'calls.record',
  'presence.get',
  'presence.set',
  'presence.watch',
  'presence.unwatch',
  'presence.pickup',
  'voicemail.list',
  'voicemail.call',
  'messages.send',
  'messages.list',
  'messages.typing',
  'contacts.list',
  'contacts.add',
  'contacts.update',
  'contacts.remove',
  'contacts.photo',
  'contacts.import',
  'contacts.export',
  'directory.get',
  'directory.configureCardDav',
  'directory.syncCardDav',
  'directory.removeCardDav',
  'directory.configureLdap',
  'directory.removeLdap',
  'directory.search',
  'history.list',
  'history.markSeen',
  'history.remove',
  'history.retention',
  'history.sipLog',
  'preferences.get',
  'preferences.set',
  'preferences.previewRingtone',
  'audio.devices',
  'audio.select',
  'audio.volume',
  'audio.test',
] as const;
export type Method = (typeof methodNames)[number];

export const eventNames = [
  'account.state',
  'call.state',
  'call.incoming',
  'call.stats',
  'call.dtmf',
  'log.sip',
  'audio.devices',
  'audio.level',
  'presence.own',
  'presence.contact',
  'voicemail.state',
  'message',
  'message.typing',
  'history.entry',
  'history.missed',
  'directory.sync',
  'preferences',
] as const;
export type EventName = (typeof eventNames)[number];

const methodSet: ReadonlySet<string> = new Set(methodNames);
const eventSet: ReadonlySet<string> = new Set(eventNames);

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && methodSet.has(name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && eventSet.has(name);
}
