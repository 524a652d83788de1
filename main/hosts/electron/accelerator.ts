/** The accelerator grammar lives in shared/ (the contract validates the user's shortcuts with it). */
export { acceleratorKey, isGlobalAccelerator } from '../../../shared/accelerator.js';
