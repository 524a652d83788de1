/**
 * Must be the renderer's first import. zod compiles fast parsers with `new Function` and probes
 * for it when a schema is built; under our CSP (no 'unsafe-eval') the probe fails quietly but
 * still reports a CSP violation. Jitless mode skips both.
 */
import { z } from 'zod';

z.config({ jitless: true });
