/** dialog-info (RFC 4235); fixtures typed after the examples of RFC 4235 §5. */
import { describe, expect, it } from 'vitest';
import { EventBodyError, formatDialogInfo, parseDialogInfo, type DialogInfoDocument } from '../../../../../main/core/sip/events/index.js';

/** After RFC 4235 §5: a minimal document, one dialog trying. */
const MINIMAL = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info"
             version="0" state="full"
             entity="sip:alice@example.com">
  <dialog id="as7d900as8" call-id="a84b4c76e66710"
          local-tag="1928301774" direction="initiator">
    <state>trying</state>
  </dialog>
</dialog-info>
`;

/** After RFC 4235 §5: a confirmed dialog with duration, identities and targets. */
const CONFIRMED = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info"
             version="1" state="full"
             entity="sip:alice@example.com">
  <dialog id="as7d900as8" call-id="a84b4c76e66710"
          local-tag="1928301774" remote-tag="456887766"
          direction="initiator">
    <state>confirmed</state>
    <duration>274</duration>
    <local>
      <identity display="Alice">sip:alice@example.com</identity>
      <target uri="sip:alice@pc33.example.com">
        <param pname="+sip.rendering" pval="yes"/>
      </target>
    </local>
    <remote>
      <identity display="Bob">sip:bob@example.org</identity>
      <target uri="sip:bobster@phone21.example.org"/>
    </remote>
  </dialog>
</dialog-info>
`;

/** A partial update: the dialog ended by a BYE from the far end (§4.1.3 event and code). */
const TERMINATED = `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="2" state="partial" entity="sip:alice@example.com">
  <dialog id="as7d900as8" direction="recipient"><state event="rejected" code="486">terminated</state></dialog>
</dialog-info>`;

describe('parseDialogInfo (RFC 4235)', () => {
  it('reads the minimal example', () => {
    expect(parseDialogInfo(MINIMAL)).toEqual({
      entity: 'sip:alice@example.com',
      version: 0,
      state: 'full',
      dialogs: [{ id: 'as7d900as8', callId: 'a84b4c76e66710', localTag: '1928301774', direction: 'initiator', state: 'trying' }],
    });
  });

  it('reads a confirmed dialog with local and remote identity and target', () => {
    const [dialog] = parseDialogInfo(CONFIRMED).dialogs;
    expect(dialog).toEqual({
      id: 'as7d900as8',
      callId: 'a84b4c76e66710',
      localTag: '1928301774',
      remoteTag: '456887766',
      direction: 'initiator',
      state: 'confirmed',
      duration: 274,
      local: { identity: 'sip:alice@example.com', display: 'Alice', target: 'sip:alice@pc33.example.com' },
      remote: { identity: 'sip:bob@example.org', display: 'Bob', target: 'sip:bobster@phone21.example.org' },
    });
  });

  it('reads the state event and code', () => {
    const doc = parseDialogInfo(TERMINATED);
    expect(doc.state).toBe('partial');
    expect(doc.dialogs[0]).toMatchObject({ state: 'terminated', event: 'rejected', code: 486, direction: 'recipient' });
  });

  it.each(['trying', 'proceeding', 'early', 'confirmed', 'terminated'])('reads the state %s', (state) => {
    expect(parseDialogInfo(MINIMAL.replace('trying', state)).dialogs[0]!.state).toBe(state);
  });

  it.each([
    ['an unknown state', MINIMAL.replace('<state>trying', '<state>ringing')],
    ['no version', MINIMAL.replace('version="0"', '')],
    ['a negative version', MINIMAL.replace('version="0"', 'version="-1"')],
    ['a bad document state', MINIMAL.replace('state="full"', 'state="all"')],
    ['no entity', MINIMAL.replace('entity="sip:alice@example.com"', '')],
    ['a dialog without id', MINIMAL.replace('id="as7d900as8"', '')],
    ['a bad direction', MINIMAL.replace('initiator', 'caller')],
    ['no state element', MINIMAL.replace('<state>trying</state>', '')],
    ['a bad code', TERMINATED.replace('486', 'busy')],
    ['a target without uri', CONFIRMED.replace('<target uri="sip:bobster@phone21.example.org"/>', '<target/>')],
    ['a bad duration', CONFIRMED.replace('274', 'long')],
    ['the wrong namespace', MINIMAL.replace('urn:ietf:params:xml:ns:dialog-info', 'urn:example')],
  ])('refuses %s', (_what, body) => {
    expect(() => parseDialogInfo(body)).toThrow(EventBodyError);
  });
});

describe('formatDialogInfo', () => {
  it('writes a document that reads back the same', () => {
    const doc: DialogInfoDocument = {
      entity: 'sip:alice@example.com',
      version: 7,
      state: 'full',
      dialogs: [
        {
          id: 'd1',
          callId: 'c1',
          localTag: 'l1',
          remoteTag: 'r1',
          direction: 'recipient',
          state: 'early',
          local: { identity: 'sip:alice@example.com' },
          remote: { identity: 'sip:bob@example.org', display: 'Bob & "Co"', target: 'sip:bob@192.0.2.10' },
        },
        { id: 'd2', state: 'terminated', event: 'local-bye', code: 200 },
      ],
    };
    expect(parseDialogInfo(formatDialogInfo(doc))).toEqual(doc);
  });
});
