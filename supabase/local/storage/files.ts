/**
 * Where the local Storage keeps bytes: one file per object version under `<dataDir>/storage/<bucket>/`,
 * named by the version (a uuid the server makes), never by the object's name. A name is only a row in
 * storage.objects, so no name (`../`, absolute paths, odd characters) can reach outside the folder, and a
 * move renames a row without touching the disk. With no data folder the files live in a temporary folder
 * removed at close.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

const VERSION = /^[0-9a-f-]{36}$/
const BUCKET = /^[A-Za-z0-9_!.*'() &$=@;:+,?-]+$/

export interface FileStore {
  write(bucket: string, version: string, bytes: Buffer): Promise<void>
  read(bucket: string, version: string): Promise<Buffer | null>
  copy(fromBucket: string, fromVersion: string, toBucket: string, toVersion: string): Promise<void>
  remove(bucket: string, version: string): Promise<void>
  close(): Promise<void>
}

export async function openFileStore(dataDir: string | null): Promise<FileStore> {
  const root = dataDir ? path.join(dataDir, 'storage') : await mkdtemp(path.join(os.tmpdir(), 'cg-storage-'))
  await mkdir(root, { recursive: true })
  const fileOf = (bucket: string, version: string) => {
    // Both parts come from our own rows, checked again here so a bad row can never name another path.
    if (!BUCKET.test(bucket) || bucket === '.' || bucket === '..' || !VERSION.test(version)) {
      throw new Error(`bad storage location ${bucket}/${version}`)
    }
    return path.join(root, bucket, version)
  }
  return {
    async write(bucket, version, bytes) {
      const file = fileOf(bucket, version)
      await mkdir(path.dirname(file), { recursive: true })
      await writeFile(file, bytes)
    },
    async read(bucket, version) {
      try {
        return await readFile(fileOf(bucket, version))
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw e
      }
    },
    async copy(fromBucket, fromVersion, toBucket, toVersion) {
      const to = fileOf(toBucket, toVersion)
      await mkdir(path.dirname(to), { recursive: true })
      await copyFile(fileOf(fromBucket, fromVersion), to)
    },
    async remove(bucket, version) {
      await rm(fileOf(bucket, version), { force: true })
    },
    async close() {
      if (!dataDir) await rm(root, { recursive: true, force: true })
    },
  }
}
