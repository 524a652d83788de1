/** The screens of the main window; a screen may send the user to another (a call placed, a chat opened). */
export type Screen = 'calls' | 'contacts' | 'history' | 'messages' | 'sip' | 'settings';
export type Navigate = (screen: Screen) => void;
