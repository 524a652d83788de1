/** The dialogs of one entity as a watcher follows them through dialog-info documents (RFC 4235). */
import type { DialogInfoDialog, DialogInfoDocument } from './dialog-info.js';

/**
 * A watcher's view of one entity's dialogs (§4.1.2): "full" documents replace it, "partial"
 * ones update the dialogs they name (a "terminated" one is removed); a version that is not
 * above the last is ignored, and one that skips numbers means a lost NOTIFY — the caller should
 * then refresh the subscription to get the full state again (§4.1.1).
 */
export class DialogInfoView {
  private version: number | undefined;
  private readonly byId = new Map<string, DialogInfoDialog>();

  get dialogs(): readonly DialogInfoDialog[] {
    return [...this.byId.values()];
  }

  /** Returns "applied", "stale" (old version, ignored) or "gap" (applied; versions were skipped). */
  apply(document: DialogInfoDocument): 'applied' | 'stale' | 'gap' {
    const last = this.version;
    if (last !== undefined && document.version <= last) return 'stale';
    const gap = last !== undefined && document.version > last + 1 && document.state === 'partial';
    this.version = document.version;
    if (document.state === 'full') this.byId.clear();
    for (const dialog of document.dialogs) {
      if (dialog.state === 'terminated') this.byId.delete(dialog.id);
      else this.byId.set(dialog.id, dialog);
    }
    return gap ? 'gap' : 'applied';
  }
}
