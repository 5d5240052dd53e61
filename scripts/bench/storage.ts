/**
 * Benchmarks of /storage/v1 on real PostgreSQL through the local backend, with supabase-js's storage
 * client as the app uses it, signed in as a worker (the bucket policies run on every request):
 * (a) uploading a 2 MB image (upsert, the app's retry-safe upload) to the worker's avatars folder;
 * (b) downloading it through a signed URL: creating the URL, then fetching its bytes;
 * (c) 100 signed URLs created in one call (createSignedUrls), as a chat screen of images would.
 *
 * The image is a JPEG signature followed by random bytes: Storage and the policies see a 2 MB
 * image/jpeg, and random bytes cannot be compressed on the way.
 *
 * `benchStorage(url)` creates a database of its own on the server `url` points at and drops it after.
 * Standalone: `npx tsx scripts/bench/storage.ts` (DATABASE_URL, default the server on 127.0.0.1:5432).
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { startLocalBackend } from '../../supabase/local/server'
import { clientFor, people } from '../../tests/support/clients'
import type { BenchRow } from './rest'

const IMAGE_BYTES = 2 * 1024 * 1024
const ROUNDS = 20
const URLS = 100
const WORKER = people.worker1

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

async function timedRounds(n: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await fn(i)
    times.push(performance.now() - t0)
  }
  return times.sort((a, b) => a - b)
}

const latency = (sorted: number[]) => `p50 ${pct(sorted, 50).toFixed(1)} ms · p95 ${pct(sorted, 95).toFixed(1)} ms`
const mbPerSecond = (sorted: number[]) => `${(IMAGE_BYTES / 1024 / 1024 / (pct(sorted, 50) / 1000)).toFixed(0)} MB/s at p50`

export async function benchStorage(databaseUrl: string): Promise<BenchRow[]> {
  const name = `cg_bench_storage_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(databaseUrl)
  url.pathname = `/${name}`
  const be = await startLocalBackend({ port: 0, dataDir: null, databaseUrl: url.toString(), scheduler: false })
  try {
    const token = await be.signToken({ sub: WORKER })
    const storage = clientFor(be, token).storage.from('avatars')
    const image = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), randomBytes(IMAGE_BYTES - 10)])
    const imagePath = `${WORKER}/bench-2mb.jpg`
    const upload = async () => {
      const { error } = await storage.upload(imagePath, image, { contentType: 'image/jpeg', upsert: true })
      if (error) throw new Error(`upload failed: ${error.message}`)
    }
    const download = async () => {
      const { data, error } = await storage.createSignedUrl(imagePath, 60)
      if (error || !data) throw new Error(`createSignedUrl failed: ${error?.message}`)
      const res = await fetch(data.signedUrl)
      const bytes = Buffer.from(await res.arrayBuffer())
      if (res.status !== 200 || bytes.length !== IMAGE_BYTES) throw new Error(`signed download answered ${res.status} with ${bytes.length} bytes`)
    }
    for (let i = 0; i < 3; i++) await upload() // warm up
    const uploads = await timedRounds(ROUNDS, upload)
    for (let i = 0; i < 3; i++) await download()
    const downloads = await timedRounds(ROUNDS, download)

    // 100 small objects, then one createSignedUrls call for all of them.
    const paths = Array.from({ length: URLS }, (_, i) => `${WORKER}/many-${i}.jpg`)
    for (const path of paths) {
      const { error } = await storage.upload(path, image.subarray(0, 1024), { contentType: 'image/jpeg', upsert: true })
      if (error) throw new Error(`upload of ${path} failed: ${error.message}`)
    }
    const signMany = async () => {
      const { data, error } = await storage.createSignedUrls(paths, 600)
      if (error || data?.length !== URLS || data.some((d) => !d.signedUrl)) throw new Error(`createSignedUrls failed: ${error?.message ?? data?.length}`)
    }
    for (let i = 0; i < 3; i++) await signMany()
    const signed = await timedRounds(ROUNDS, signMany)

    return [
      { name: 'storage: upload of a 2 MB image (supabase-js, signed-in worker, upsert)', value: latency(uploads), note: `${ROUNDS} uploads, ${mbPerSecond(uploads)}` },
      { name: 'storage: signed-URL download of the 2 MB image (createSignedUrl + GET)', value: latency(downloads), note: `${ROUNDS} downloads, ${mbPerSecond(downloads)}` },
      { name: `storage: ${URLS} signed URLs in one createSignedUrls call`, value: latency(signed), note: `${ROUNDS} calls` },
    ]
  } finally {
    await be.close()
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  benchStorage(url).then(
    (rows) => {
      console.log('| measurement | value | note |\n|---|---|---|')
      for (const r of rows) console.log(`| ${r.name} | ${r.value} | ${r.note ?? ''} |`)
    },
    (e) => {
      console.error(e)
      process.exitCode = 1
    },
  )
}
