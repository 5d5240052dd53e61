/**
 * The one thing about an application the phone keeps: its id, per programme, chosen once before the
 * first save. Everything the person types stays on the server (save_application_draft); the id alone
 * lets a save that timed out, a tap on 下一步 after reopening the app, or a second tap on 提交 reach the
 * same application instead of making another (the server treats a known id as the same draft and a
 * repeated submit as a no-op).
 *
 * Only ids are written: `put` refuses anything that is not a UUID, so no name, number or account can
 * land here by mistake (tests/unit/application-storage.test.ts).
 */
import Taro from '@tarojs/taro'
import { newSecureUuid } from '../platform/secure-random'

export const DRAFT_ID_STORAGE_KEY = 'cg.applyDraftIds'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export interface DraftIdStorage {
  get(key: string): unknown
  set(key: string, value: Record<string, string>): void
}

const taroStorage: DraftIdStorage = {
  get: (key) => Taro.getStorageSync(key),
  set: (key, value) => Taro.setStorageSync(key, value),
}

/** Entries are keyed `<person id>/<programme id>`: two people on one phone never share a draft. */
function entryKey(personId: string, programmeId: string): string {
  if (!UUID.test(personId) || !UUID.test(programmeId)) throw new Error('only ids are kept on the phone')
  return `${personId.toLowerCase()}/${programmeId.toLowerCase()}`
}

function readAll(storage: DraftIdStorage): Record<string, string> {
  const value = storage.get(DRAFT_ID_STORAGE_KEY)
  if (typeof value !== 'object' || value === null) return {}
  const out: Record<string, string> = {}
  for (const [key, id] of Object.entries(value as Record<string, unknown>)) {
    const [person, programme] = key.split('/')
    if (UUID.test(person ?? '') && UUID.test(programme ?? '') && typeof id === 'string' && UUID.test(id)) out[key] = id
  }
  return out
}

export function createDraftIdStore(storage: DraftIdStorage = taroStorage, newId: () => Promise<string> = newSecureUuid) {
  return {
    get(personId: string, programmeId: string): string | null {
      return readAll(storage)[entryKey(personId, programmeId)] ?? null
    },
    put(personId: string, programmeId: string, applicationId: string): void {
      const key = entryKey(personId, programmeId)
      if (!UUID.test(applicationId)) throw new Error('only ids are kept on the phone')
      storage.set(DRAFT_ID_STORAGE_KEY, { ...readAll(storage), [key]: applicationId.toLowerCase() })
    },
    /** After the application was submitted (or is gone): the next one for this programme gets a new id. */
    forget(personId: string, programmeId: string): void {
      const all = readAll(storage)
      const key = entryKey(personId, programmeId)
      if (!(key in all)) return
      delete all[key]
      storage.set(DRAFT_ID_STORAGE_KEY, all)
    },
    /** The id kept for this person and programme, or a new one (kept before it is first used). */
    async getOrCreate(personId: string, programmeId: string): Promise<string> {
      const kept = this.get(personId, programmeId)
      if (kept) return kept
      const id = await newId()
      this.put(personId, programmeId, id)
      return id
    },
  }
}

export type DraftIdStore = ReturnType<typeof createDraftIdStore>

let store: DraftIdStore | null = null

export function draftIds(): DraftIdStore {
  store ??= createDraftIdStore()
  return store
}
