/** A test signal with no zero sample, so it stands out from the silence around it. */
export function testSample(n: number): number {
  const value = ((n * 7919) % 65535) - 32767;
  return value === 0 ? 1 : value;
}
