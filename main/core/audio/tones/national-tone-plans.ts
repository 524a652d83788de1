/**
 * Call-progress tones per region, as data. Values are those published for each administration in
 * ITU-T E.180 Supplement 2 ("Various tones used in national networks", the list the ITU keeps
 * from administrations' notifications, ITU Operational Bulletin annex "tones-0203"), cross-checked
 * against the national documents named on each plan. The `eu` plan is the ITU/CEPT default that
 * E.180 §2–§4 recommends for new networks: 425 Hz for every tone, told apart by cadence.
 */
import { off, on, validateTonePlan, type TonePlan } from './tone-plan.js';

/** The call-progress tones a softphone plays locally (E.180 §4, E.182). */
export type CallProgressTone = 'dial' | 'ringback' | 'busy' | 'congestion' | 'callWaiting';

export type ToneRegionCode = 'us' | 'uk' | 'de' | 'eu';

export interface ToneRegion {
  readonly code: ToneRegionCode;
  readonly description: string;
  readonly tones: Readonly<Record<CallProgressTone, TonePlan>>;
}

const plan = (name: string, source: string, segments: TonePlan['segments'], repeat = true): TonePlan =>
  validateTonePlan({ name, source, segments, repeat });

// North America: the "precise tone plan" (Telcordia GR-506-CORE LSSGR signalling), as listed for
// the United States in E.180 Supp. 2.
const US_SOURCE = 'ITU-T E.180 Supp. 2 (United States); Telcordia GR-506-CORE precise tone plan';
const us: ToneRegion = {
  code: 'us',
  description: 'United States / North America (NANP)',
  tones: {
    dial: plan('us/dial', US_SOURCE, [on(1000, 350, 440)]),
    ringback: plan('us/ringback', US_SOURCE, [on(2000, 440, 480), off(4000)]),
    busy: plan('us/busy', US_SOURCE, [on(500, 480, 620), off(500)]),
    // "Reorder" (all trunks busy) is the congestion tone of E.180 §4.
    congestion: plan('us/congestion', US_SOURCE, [on(250, 480, 620), off(250)]),
    // GR-506: one 300 ms burst of 440 Hz, repeated after 10 s while the call still waits.
    callWaiting: plan('us/callWaiting', US_SOURCE, [on(300, 440), off(9700)]),
  },
};

// United Kingdom: BT SIN 350 (Suppliers' Information Note, "Customer premises tones"), as listed
// for the United Kingdom in E.180 Supp. 2.
const UK_SOURCE = 'ITU-T E.180 Supp. 2 (United Kingdom); BT SIN 350';
const uk: ToneRegion = {
  code: 'uk',
  description: 'United Kingdom',
  tones: {
    dial: plan('uk/dial', UK_SOURCE, [on(1000, 350, 440)]),
    ringback: plan('uk/ringback', UK_SOURCE, [on(400, 400, 450), off(200), on(400, 400, 450), off(2000)]),
    busy: plan('uk/busy', UK_SOURCE, [on(375, 400), off(375)]),
    // "Path engaged" / congestion: two bursts of unequal length.
    congestion: plan('uk/congestion', UK_SOURCE, [on(400, 400), off(350), on(225, 400), off(525)]),
    callWaiting: plan('uk/callWaiting', UK_SOURCE, [on(100, 400), off(2000)]),
  },
};

// Germany, as listed in E.180 Supp. 2 (which gives two variants per tone; "I" is used here for
// busy/congestion — 0.48/0.24 s — and the 5 s call-waiting pause).
const DE_SOURCE = 'ITU-T E.180 Supp. 2 (Germany)';
const de: ToneRegion = {
  code: 'de',
  description: 'Germany',
  tones: {
    dial: plan('de/dial', DE_SOURCE, [on(1000, 425)]),
    ringback: plan('de/ringback', DE_SOURCE, [on(1000, 425), off(4000)]),
    busy: plan('de/busy', DE_SOURCE, [on(480, 425), off(480)]),
    congestion: plan('de/congestion', DE_SOURCE, [on(240, 425), off(240)]),
    callWaiting: plan('de/callWaiting', DE_SOURCE, [on(200, 425), off(200), on(200, 425), off(5000)]),
  },
};

// ITU/CEPT default. E.180 recommends 425 Hz (within 400–450 Hz) for dial, ringing, busy and
// congestion tones; ringing tone 0.67–1.5 s on, 3–5 s off (1 s / 4 s chosen); busy tone with
// equal on and off of 0.1–0.6 s (0.5 s); congestion faster than busy (0.2 s / 0.2 s, Germany's
// variant II in Supp. 2); call waiting 0.2–0.2–0.2 s then 4.4 s, as several administrations list
// it in Supp. 2 (e.g. Uruguay). ETSI TR 101 041-2 surveys the European variants.
const EU_SOURCE = 'ITU-T E.180 recommended values; cadences as listed in E.180 Supp. 2 (see ETSI TR 101 041-2)';
const eu: ToneRegion = {
  code: 'eu',
  description: 'ITU-T E.180 / CEPT default (425 Hz)',
  tones: {
    dial: plan('eu/dial', EU_SOURCE, [on(1000, 425)]),
    ringback: plan('eu/ringback', EU_SOURCE, [on(1000, 425), off(4000)]),
    busy: plan('eu/busy', EU_SOURCE, [on(500, 425), off(500)]),
    congestion: plan('eu/congestion', EU_SOURCE, [on(200, 425), off(200)]),
    callWaiting: plan('eu/callWaiting', EU_SOURCE, [on(200, 425), off(200), on(200, 425), off(4400)]),
  },
};

export const TONE_REGIONS: Readonly<Record<ToneRegionCode, ToneRegion>> = { us, uk, de, eu };

export const DEFAULT_TONE_REGION: ToneRegionCode = 'eu';

export function isToneRegionCode(value: string): value is ToneRegionCode {
  return Object.hasOwn(TONE_REGIONS, value);
}

/** The plan of one tone in a region; an unknown region falls back to the E.180 default. */
export function callProgressTone(region: string, tone: CallProgressTone): TonePlan {
  const code = isToneRegionCode(region) ? region : DEFAULT_TONE_REGION;
  return TONE_REGIONS[code].tones[tone];
}
