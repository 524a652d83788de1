/**
 * The words the UI shows, in one place for translation. English is the reference; a translation
 * is an object of the same shape (`typeof en`). Texts that take values are functions, so word
 * order stays the translator's. Screens not moved here yet keep their words in their own markup.
 */
export const en = {
  app: { name: 'Softphone' },
  nav: {
    label: 'Main',
    calls: 'Calls',
    contacts: 'Contacts',
    history: 'History',
    messages: 'Messages',
    sip: 'SIP log',
    settings: 'Settings',
    missed: (n: number) => `${n} missed`,
    unread: (n: number) => `${n} unread`,
  },
  dialpad: {
    form: 'Dial',
    from: 'From',
    defaultAccount: 'Default account',
    input: 'Number or SIP address',
    erase: 'Delete last character',
    keypad: 'Keypad',
    call: 'Call',
    calling: 'Calling…',
    redial: 'Redial',
    redialLabel: (who: string) => `Redial ${who}`,
    addToCall: 'Add to call',
    addToCallLabel: 'Call and add to the call in progress (conference)',
    suggestions: 'Matching contacts',
    suggestion: (name: string, address: string) => `${name}, ${address}`,
  },
  sip: {
    title: 'SIP messages',
    intro: (limit: number) => `The last ${limit} messages sent and received are kept; passwords are never logged.`,
    none: 'No messages yet.',
    noMatch: 'No message matches the filter.',
    count: (shown: number, all: number) => (shown === all ? `${all} messages` : `${shown} of ${all} messages`),
    dialog: 'Call-ID',
    allDialogs: 'All dialogs',
    method: 'Method',
    allMethods: 'All methods',
    search: 'Search in messages',
    searchPlaceholder: 'Text in the messages',
    export: 'Export as text',
    clear: 'Clear',
    showAll: 'Show all messages',
    forCall: (who: string) => `Messages of the call with ${who}`,
    notKept: 'No SIP message of this call is kept any more.',
    ladder: 'SIP ladder diagram: one arrow per message, arrow keys move between them',
    parties: 'Columns',
    thisPhone: 'this phone',
    thisPhoneNote: (addresses: number) => (addresses > 1 ? `this phone (+${addresses - 1} address${addresses > 2 ? 'es' : ''})` : 'this phone'),
    arrowText: (offset: string, from: string, to: string, label: string) => `${offset}, ${from} to ${to}: ${label}`,
    message: 'Message',
    sent: (transport: string, from: string, to: string) => `Sent over ${transport}, ${from} → ${to}`,
    received: (transport: string, from: string, to: string) => `Received over ${transport}, ${from} → ${to}`,
    refused: (why: string) => `Refused: ${why}`,
    exportTitle: 'SIP messages exported by Softphone',
    showLadder: 'SIP ladder',
    showLadderLabel: (who: string) => `SIP ladder of the call with ${who}`,
  },
  history: {
    addContact: 'Add to contacts',
    addContactLabel: (who: string) => `Add ${who} to the contacts`,
    added: (name: string) => `${name} added to the contacts.`,
  },
};

export type Strings = typeof en;

/** The strings in force. One language for now; choosing another is a matter of picking its object. */
export const t: Strings = en;
