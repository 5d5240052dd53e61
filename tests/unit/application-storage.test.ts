/**
 * No sensitive field of an application is kept in the mini-program's storage (issue 12): the draft lives
 * on the server, and the phone keeps only the application's id per person and programme
 * (src/services/applications/draft-id.ts). Two checks: the id store writes nothing but ids, and no other
 * code of the application pages or services writes to storage at all.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'

vi.mock('@tarojs/taro', () => ({ default: {} }))

const { createDraftIdStore, DRAFT_ID_STORAGE_KEY } = await import('../../src/services/applications/draft-id')

const root = path.resolve(__dirname, '..', '..')
const PERSON = '00000000-0000-4000-8000-000000000011'
const OTHER = '00000000-0000-4000-8000-000000000012'
const PROGRAMME = '30000000-0000-4000-8000-000000000001'
const APPLICATION = 'a1b2c3d4-0000-4000-8000-000000000001'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function memoryStorage() {
  const data = new Map<string, unknown>()
  const writes: Array<{ key: string; value: unknown }> = []
  return {
    data,
    writes,
    get: (key: string) => data.get(key),
    set: (key: string, value: Record<string, string>) => {
      writes.push({ key, value })
      data.set(key, value)
    },
  }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : []
  })
}

describe('the phone keeps only the application id', () => {
  it('chooses an id once per person and programme and gives the same one back', async () => {
    const storage = memoryStorage()
    const newId = vi.fn(async () => APPLICATION)
    const store = createDraftIdStore(storage, newId)
    expect(await store.getOrCreate(PERSON, PROGRAMME)).toBe(APPLICATION)
    expect(await store.getOrCreate(PERSON, PROGRAMME)).toBe(APPLICATION)
    expect(newId).toHaveBeenCalledTimes(1)
    expect(store.get(OTHER, PROGRAMME)).toBeNull()
  })

  it('writes nothing but ids under ids, whatever it is handed', async () => {
    const storage = memoryStorage()
    const store = createDraftIdStore(storage, async () => APPLICATION)
    await store.getOrCreate(PERSON, PROGRAMME)
    expect(() => store.put(PERSON, PROGRAMME, '370203197003152516')).toThrow()
    expect(() => store.put(PERSON, '6222021602001234567', APPLICATION)).toThrow()
    expect(() => store.put('刘建国', PROGRAMME, APPLICATION)).toThrow()
    store.forget(PERSON, PROGRAMME)
    for (const { key, value } of storage.writes) {
      expect(key).toBe(DRAFT_ID_STORAGE_KEY)
      for (const [entry, id] of Object.entries(value as Record<string, string>)) {
        const [person, programme] = entry.split('/')
        expect(person).toMatch(UUID)
        expect(programme).toMatch(UUID)
        expect(id).toMatch(UUID)
      }
    }
    expect(storage.data.get(DRAFT_ID_STORAGE_KEY)).toEqual({})
  })

  it('drops anything else found under its key (e.g. written by an older version)', () => {
    const storage = memoryStorage()
    storage.data.set(DRAFT_ID_STORAGE_KEY, { [`${PERSON}/${PROGRAMME}`]: APPLICATION, resident_id: '370203197003152516', [`${PERSON}/${OTHER}`]: '6222021602001234567' })
    const store = createDraftIdStore(storage, async () => APPLICATION)
    store.put(PERSON, OTHER, APPLICATION)
    expect(storage.data.get(DRAFT_ID_STORAGE_KEY)).toEqual({ [`${PERSON}/${PROGRAMME}`]: APPLICATION, [`${PERSON}/${OTHER}`]: APPLICATION })
  })
})

describe('no other application code writes to storage', () => {
  const files = [...sourceFiles(path.join(root, 'src/subpackages/apply')), ...sourceFiles(path.join(root, 'src/services/applications')), path.join(root, 'src/pages/apply/index.tsx')]
  const STORAGE_WRITE = /\b(setStorage(Sync)?|batchSetStorage(Sync)?|localStorage|sessionStorage|indexedDB|setQueryData|persist)\b/

  it('scans the pages and services of applications', () => {
    expect(files.length).toBeGreaterThan(10)
  })

  for (const file of files) {
    const relative = path.relative(root, file)
    it(`${relative} keeps what the person types off the phone`, () => {
      const source = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '')
      if (relative === path.join('src', 'services', 'applications', 'draft-id.ts')) {
        // The id store: its one write is the id map (checked above).
        expect(source.match(/setStorageSync\(/g) ?? []).toHaveLength(1)
        return
      }
      expect(source).not.toMatch(STORAGE_WRITE)
    })
  }
})
