/**
 * Ids the client chooses itself (a chat message's id, so that a send retried after a weak network never
 * makes a second message): RFC 4122 version-4 UUIDs from a cryptographically secure source.
 *
 * - H5: the browser's crypto.getRandomValues.
 * - Mini-program: wx.getRandomValues (Taro.getRandomValues), WeChat's secure generator; the JavaScript
 *   engine there has no `crypto` global. Math.random is never used: two phones choosing the same id would
 *   make one person's message disappear behind the other's.
 *
 * The source is given as an argument (./secure-random.ts on the device) so tests need no platform.
 */
/** Resolves with `length` cryptographically secure random bytes. */
export type RandomBytes = (length: number) => Promise<Uint8Array>

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** A version-4 UUID from 16 random bytes (the version and variant bits are set here). */
export function uuidFromBytes(random: Uint8Array): string {
  if (random.length < 16) throw new RangeError(`a UUID needs 16 random bytes, got ${random.length}`)
  const b = Array.from(random.subarray(0, 16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = b.map((byte) => HEX[byte])
  return `${h[0]}${h[1]}${h[2]}${h[3]}-${h[4]}${h[5]}-${h[6]}${h[7]}-${h[8]}${h[9]}-${h[10]}${h[11]}${h[12]}${h[13]}${h[14]}${h[15]}`
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** A new random UUID (v4) from the given secure source (./secure-random.ts on the device). */
export async function newUuid(random: RandomBytes): Promise<string> {
  return uuidFromBytes(await random(16))
}
