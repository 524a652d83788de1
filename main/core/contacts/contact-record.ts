/** A contact read from a file, with the line it starts on (for the import report). */
import type { ContactAddress } from '../../../shared/model.js';

export interface ContactRecord {
  line: number;
  name: string;
  organisation?: string;
  notes?: string;
  favourite?: boolean;
  /** A data: URL already checked (shared/photo.ts). */
  photo?: string;
  addresses: ContactAddress[];
}

/** A record that could not be read, and why. */
export interface RecordError {
  line: number;
  reason: string;
}

export interface ReadResult {
  records: ContactRecord[];
  errors: RecordError[];
  /** Records taken without something they had (a photo not fetched or refused), and why. */
  warnings?: RecordError[];
}

/** Refused input as a whole: nothing was imported. */
export class ContactFileError extends Error {
  override readonly name = 'ContactFileError';
}
