/** IPC channel names, shared by the main process and the preload so they cannot drift. */
export const channelPrefix = 'phone:';
export const eventChannel = 'phone:event';

export function channelOf(method: string): string {
  return `${channelPrefix}${method}`;
}
