/** Real, tiny images of each type a contact photo may be (1×1 pixel), as base64 and data: URLs. */
export const photoBase64 = {
  png: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  gif: 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7',
  webp: 'UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==',
  jpeg: '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
} as const;

export const photoUrl = (type: keyof typeof photoBase64) => `data:image/${type};base64,${photoBase64[type]}`;

export const photoBytes = (type: keyof typeof photoBase64) => new Uint8Array(Buffer.from(photoBase64[type], 'base64'));
