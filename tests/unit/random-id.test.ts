/** Client-chosen message ids (src/services/platform/random-id.ts): version-4 UUIDs from a secure source only. */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { newUuid, uuidFromBytes, UUID_PATTERN } from '../../src/services/platform/random-id'

describe('client-chosen ids', () => {
  it('formats 16 bytes as a version-4 UUID, setting the version and variant bits', () => {
    expect(uuidFromBytes(new Uint8Array(16).fill(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff')
    expect(uuidFromBytes(new Uint8Array(16))).toBe('00000000-0000-4000-8000-000000000000')
  })

  it('refuses fewer than 16 bytes rather than making a weak id', () => {
    expect(() => uuidFromBytes(new Uint8Array(15))).toThrow(RangeError)
  })

  it('draws a fresh id from the given secure source every time', async () => {
    const ids = await Promise.all(Array.from({ length: 200 }, () => newUuid(async (n) => new Uint8Array(randomBytes(n)))))
    expect(ids.every((id) => UUID_PATTERN.test(id))).toBe(true)
    expect(new Set(ids).size).toBe(200)
  })

  it('takes the web crypto source as H5 does', async () => {
    const id = await newUuid(async (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)))
    expect(id).toMatch(UUID_PATTERN)
  })
})
