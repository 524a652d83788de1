import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../main/core/log.js';
import type { CallLink } from '../../../../main/hosts/electron/call-link.js';
import { ClickToCall, confirmDialogOptions } from '../../../../main/hosts/electron/click-to-call.js';

function router(options: { answer?: boolean | Promise<boolean>; confirmFirst?: boolean } = {}) {
  const asked: CallLink[] = [];
  const dialled: string[] = [];
  const clickToCall = new ClickToCall({
    confirm: async (link) => {
      asked.push(link);
      return options.answer ?? true;
    },
    dial: async (target) => void dialled.push(target),
    confirmFirst: () => options.confirmFirst ?? true,
    log: silentLogger,
  });
  return { clickToCall, asked, dialled };
}

describe('click-to-call', () => {
  it('asks before dialling, and dials the normalised target once the user says Call', async () => {
    const { clickToCall, asked, dialled } = router();
    await clickToCall.start();
    await clickToCall.receive('tel:+1-201-555-0123', 'second-instance');
    expect(asked.map((l) => l.target)).toEqual(['+12015550123']);
    expect(dialled).toEqual(['+12015550123']);
  });

  it('places no call when the user cancels', async () => {
    const { clickToCall, asked, dialled } = router({ answer: false });
    await clickToCall.start();
    await clickToCall.receive('sip:bob@example.com', 'open-url');
    expect(asked).toHaveLength(1);
    expect(dialled).toEqual([]);
  });

  it('dials without asking only when the confirmation was switched off', async () => {
    const { clickToCall, asked, dialled } = router({ confirmFirst: false });
    await clickToCall.start();
    await clickToCall.receive('sip:bob@example.com', 'argv');
    expect(asked).toEqual([]);
    expect(dialled).toEqual(['sip:bob@example.com']);
  });

  it('never asks about a refused link', async () => {
    const { clickToCall, asked, dialled } = router();
    await clickToCall.start();
    await clickToCall.receive('sip:bob@example.com?Route=%3Csip:evil%3E', 'open-url');
    await clickToCall.receive('https://example.com/', 'second-instance');
    expect(asked).toEqual([]);
    expect(dialled).toEqual([]);
  });

  it('keeps the link that came before the phone was up, and handles it at start', async () => {
    const { clickToCall, dialled } = router();
    await clickToCall.receive('tel:111', 'open-url');
    await clickToCall.receive('tel:222', 'argv');
    expect(dialled).toEqual([]);
    await clickToCall.start();
    expect(dialled).toEqual(['222']);
  });

  it('drops links that arrive while a question is open: a page cannot pile up dialogs', async () => {
    let answer: (yes: boolean) => void = () => {};
    const { clickToCall, asked, dialled } = router({ answer: new Promise<boolean>((resolve) => (answer = resolve)) });
    await clickToCall.start();
    const first = clickToCall.receive('tel:111', 'second-instance');
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    await clickToCall.receive('tel:222', 'second-instance');
    await clickToCall.receive('tel:333', 'second-instance');
    answer(true);
    await first;
    expect(asked.map((l) => l.target)).toEqual(['111']);
    expect(dialled).toEqual(['111']);
    await clickToCall.receive('tel:444', 'second-instance');
    expect(dialled).toEqual(['111', '444']);
  });

  it('asks with Cancel as the default and escape button, and shows the link as text', () => {
    const options = confirmDialogOptions({ scheme: 'tel', target: '+12015550123' }, 'Softphone');
    expect(options).toMatchObject({ buttons: ['Call', 'Cancel'], defaultId: 1, cancelId: 1, message: 'Call +12015550123?' });
  });
});
