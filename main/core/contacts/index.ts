export { compileDialPattern, DialPatternError } from './dial-pattern.js';
export { callerNumberVariants, dialledNumber, type Numbering } from './dial-plan.js';
export { numberDigits, numberVariants, parseNumber, toE164 } from './phone-number.js';
