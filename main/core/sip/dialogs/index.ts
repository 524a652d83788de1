export { Dialog, DialogState, DialogStateError, OutOfOrderRequestError, dialogKey, type DialogId } from './dialog.js';
