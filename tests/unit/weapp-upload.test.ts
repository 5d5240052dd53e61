/**
 * The upload service (src/services/storage/) in the mini-program runtime: bundled for weapp and run in a
 * `vm` context without Blob, FormData, fetch or any other web global, as in weapp-runtime.test.ts. A
 * picked temp file is sent with wx.uploadFile (the shim speaks multipart over Node's http) to the local
 * backend's Storage, with progress and cancel, checked by verify-upload, and read back through a signed
 * URL; a picture longer than 1,600 px goes through wx.compressImage first.
 */
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { exeFile, jpegFile, pdfFile, pngFile } from '../support/sample-files'
import { loadWeappBundle } from './support/weapp-sandbox'

const ABSENT_GLOBALS = ['fetch', 'Response', 'Request', 'Blob', 'FormData', 'File', 'TextEncoder', 'localStorage', 'window', 'document'] as const

interface UploadInput {
  bucket: string
  folder: string
  filePath: string
  contentType: string
  size: number
  path?: string
}
interface PickedFile {
  path: string
  size: number
  type: string
}
interface CancelHandle {
  cancel(): void
}

interface BundleExports {
  uploadFile(input: UploadInput, options?: { onProgress?: (f: number) => void; onVerifying?: () => void; cancel?: CancelHandle }): Promise<{ bucket: string; path: string }>
  createCancel(): CancelHandle
  prepareImage(file: PickedFile): Promise<PickedFile>
  pickedFromPath(path: string): Promise<PickedFile>
  signedUrls(bucket: string, paths: string[]): Promise<string[]>
  getSession(): { signIn(): Promise<{ id: string }> }
  allowLogin(prefix: string | null): void
  putTempFile(filePath: string, bytes: ArrayLike<number>): void
  putTempImage(filePath: string, bytes: ArrayLike<number>, width: number, height: number): void
  setCompressedOutput(bytes: ArrayLike<number>): void
  compressCalls: Array<{ src: string; quality?: number; compressedWidth?: number; compressedHeight?: number }>
  holdUploads(): () => void
  calls: Array<{ url: string; method?: string }>
  failRequestsTo(urlPart: string | null): void
}

let be: TestBackend
let context: vm.Context
let app: BundleExports
let me = ''
/** The seeded group 兴隆路街道创业群 (supabase/seed.sql). */
const GROUP = '20000000-0000-4000-8000-000000000001'
/** A draft application of this person: materials go only into the folder of one's own editable application. */
const DRAFT = '5a000000-0000-4000-8000-0000000000aa'
/** The seeded programme 一次性创业补贴. */
const PROGRAMME = '60000000-0000-4000-8000-000000000001'

const ENTRY = [
  "export { uploadFile } from './src/services/storage/upload-file'",
  "export { createCancel } from './src/services/storage/cancel'",
  "export { prepareImage, pickedFromPath } from './src/services/storage/pick-images'",
  "export { signedUrls } from './src/services/storage/file-urls'",
  "export { getSession } from './src/services/auth/session'",
  "export { allowLogin, putTempFile, putTempImage, setCompressedOutput, compressCalls, holdUploads, calls, failRequestsTo } from './tests/unit/support/taro-node-shim'",
]

const objectsIn = async (bucket: string, prefix: string) =>
  (await be.db.query('select name from storage.objects where bucket_id = $1 and starts_with(name, $2) order by name', [bucket, prefix])).rows.map((r) => r.name as string)
const isVerified = async (bucket: string, name: string) =>
  (await be.db.query('select private.is_verified_object($1, $2) as v', [bucket, name])).rows[0].v as boolean

/** A picked temp file, as the app hands it to uploadFile. */
function picked(path: string, bytes: Buffer, contentType: string, bucket: string, folder: string): UploadInput {
  app.putTempFile(path, [...bytes])
  return { bucket, folder, filePath: path, contentType, size: bytes.length }
}

beforeAll(async () => {
  be = await startTestBackend()
  ;({ app, context } = await loadWeappBundle<BundleExports>(be, ENTRY, 'weapp-upload'))
  app.allowLogin('upload')
  me = (await app.getSession().signIn()).id
  // Chat images go only into groups one belongs to: this person joins the seeded 兴隆路 group.
  await be.db.query("insert into public.group_members (group_id, user_id) values ($1, $2)", [GROUP, me])
  await be.db.query(
    "insert into public.applications (id, applicant_id, programme_id, group_id, street) values ($1, $2, $3, $4, '四方区兴隆路街道')",
    [DRAFT, me, PROGRAMME, GROUP],
  )
})

afterAll(async () => {
  await be?.close()
})

describe('uploading a picked file from the mini-program', () => {
  it('uploads a JPEG from its temp path with progress, the server verifies it, and a signed URL gives it back', async () => {
    const bytes = jpegFile()
    const progress: number[] = []
    let verifying = false
    const up = await app.uploadFile(picked('wxfile://tmp/avatar-1.jpg', bytes, 'image/jpeg', 'avatars', me), {
      onProgress: (f) => progress.push(f),
      onVerifying: () => {
        verifying = true
      },
    })
    expect(up.bucket).toBe('avatars')
    expect(up.path).toMatch(new RegExp(`^${me}/[0-9a-z]+\\.jpg$`))
    expect(progress.length).toBeGreaterThanOrEqual(4)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    expect(progress.at(-1)).toBe(1)
    expect(verifying).toBe(true)
    expect(await isVerified('avatars', up.path)).toBe(true)
    const [url] = await app.signedUrls('avatars', [up.path])
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes)
  })

  it('uses only the globals a mini-program has, and sends the file with wx.uploadFile', () => {
    for (const name of ABSENT_GLOBALS) expect(vm.runInContext(`typeof globalThis.${name}`, context), name).toBe('undefined')
    const upload = app.calls.find((c) => c.url.includes('/storage/v1/object/avatars/'))
    expect(upload?.method).toBe('POST')
  })

  it('a retry of the same file replaces the same object instead of making a second one', async () => {
    const input = picked('wxfile://tmp/material-1.pdf', pdfFile(), 'application/pdf', 'application-materials', `${me}/${DRAFT}`)
    const first = await app.uploadFile(input)
    const second = await app.uploadFile(input)
    expect(second.path).toBe(first.path)
    expect(await objectsIn('application-materials', `${me}/${DRAFT}/`)).toEqual([first.path])
    expect(await isVerified('application-materials', first.path)).toBe(true)
  })

  it("an .exe renamed .jpg is refused with the server's reason in Chinese and leaves nothing behind", async () => {
    await expect(app.uploadFile(picked('wxfile://tmp/photo.jpg', exeFile(), 'image/jpeg', 'chat-images', `${GROUP}/${me}`))).rejects.toMatchObject({
      name: 'AppError',
      status: 422,
      message: '文件不是有效的图片（仅支持 JPG、PNG、WebP），已删除。',
    })
    expect(await objectsIn('chat-images', `${GROUP}/${me}/`)).toEqual([])
  })

  it('an image over 10 MB is refused before anything is sent', async () => {
    const before = app.calls.length
    await expect(
      app.uploadFile({ bucket: 'avatars', folder: me, filePath: 'wxfile://tmp/big.jpg', contentType: 'image/jpeg', size: 10 * 1024 * 1024 + 1 }),
    ).rejects.toMatchObject({ code: 'invalid', message: '图片不能超过 10 MB，请压缩后重试' })
    expect(app.calls.length).toBe(before)
  })

  it('a PDF is not an avatar: refused before anything is sent', async () => {
    const before = app.calls.length
    await expect(app.uploadFile(picked('wxfile://tmp/cv.pdf', pdfFile(), 'application/pdf', 'avatars', me))).rejects.toMatchObject({
      code: 'invalid',
      message: '仅支持 JPG、PNG、WebP 图片',
    })
    expect(app.calls.length).toBe(before)
  })

  it('a temp file that cannot be read is reported in Chinese', async () => {
    await expect(app.pickedFromPath('wxfile://tmp/gone.jpg')).rejects.toMatchObject({ code: 'invalid', message: '无法读取所选文件，请重新选择' })
  })

  it('an upload without a network says so in Chinese, and sending it again later works', async () => {
    const input = picked('wxfile://tmp/offline.jpg', jpegFile(), 'image/jpeg', 'avatars', me)
    app.failRequestsTo('/storage/v1/')
    try {
      await expect(app.uploadFile(input)).rejects.toMatchObject({ code: 'network', message: '网络连接失败，文件没有上传成功，请检查网络后重试' })
    } finally {
      app.failRequestsTo(null)
    }
    const up = await app.uploadFile(input)
    expect(await isVerified('avatars', up.path)).toBe(true)
  })

  it('a cancelled upload says 已取消上传 and stores nothing; sending it again stores one object', async () => {
    const input = picked('wxfile://tmp/cancel-me.png', pngFile(), 'image/png', 'chat-images', `${GROUP}/${me}`)
    const release = app.holdUploads()
    const cancel = app.createCancel()
    const sending = app.uploadFile(input, { cancel })
    await new Promise((resolve) => setTimeout(resolve, 50))
    cancel.cancel()
    release()
    await expect(sending).rejects.toMatchObject({ code: 'cancelled', message: '已取消上传' })
    expect(await objectsIn('chat-images', `${GROUP}/${me}/`)).toEqual([])
    const up = await app.uploadFile(input)
    expect(await objectsIn('chat-images', `${GROUP}/${me}/`)).toEqual([up.path])
    expect(await isVerified('chat-images', up.path)).toBe(true)
  })
})

describe('compressing before upload', () => {
  it('a photo longer than 1,600 px is compressed to 1,600 px on its long side with wx.compressImage, then uploaded and verified', async () => {
    app.putTempImage('wxfile://tmp/big-photo.jpg', [...jpegFile()], 4000, 3000)
    app.setCompressedOutput([...jpegFile()])
    const before = app.compressCalls.length
    const file = await app.prepareImage({ path: 'wxfile://tmp/big-photo.jpg', size: 5_000_000, type: 'image/jpeg' })
    expect(app.compressCalls.slice(before)).toEqual([{ src: 'wxfile://tmp/big-photo.jpg', quality: 80, compressedWidth: 1600 }])
    expect(file.path).not.toBe('wxfile://tmp/big-photo.jpg')
    expect(file).toMatchObject({ type: 'image/jpeg', size: jpegFile().length })
    const up = await app.uploadFile({ bucket: 'avatars', folder: me, filePath: file.path, contentType: file.type, size: file.size })
    expect(await isVerified('avatars', up.path)).toBe(true)
  })

  it('a portrait photo is limited by its height', async () => {
    app.putTempImage('wxfile://tmp/tall.jpg', [...jpegFile()], 1200, 2400)
    const before = app.compressCalls.length
    await app.prepareImage({ path: 'wxfile://tmp/tall.jpg', size: 3_000_000, type: 'image/jpeg' })
    expect(app.compressCalls.slice(before)).toEqual([{ src: 'wxfile://tmp/tall.jpg', quality: 80, compressedHeight: 1600 }])
  })

  it('a picture of 1,600 px or less is sent as it is', async () => {
    app.putTempImage('wxfile://tmp/small.png', [...pngFile()], 1600, 900)
    const before = app.compressCalls.length
    const file = { path: 'wxfile://tmp/small.png', size: pngFile().length, type: 'image/png' }
    expect(await app.prepareImage(file)).toEqual(file)
    expect(app.compressCalls.length).toBe(before)
  })

  it('a file WeChat cannot read as an image is passed on unchanged, for the server to refuse with its reason', async () => {
    app.putTempFile('wxfile://tmp/not-a-photo.jpg', [...exeFile()])
    const file = { path: 'wxfile://tmp/not-a-photo.jpg', size: exeFile().length, type: 'image/jpeg' }
    expect(await app.prepareImage(file)).toEqual(file)
  })
})
