/**
 * The upload service (src/services/storage/upload-file.ts) in the mini-program runtime: bundled for weapp
 * and run in a `vm` context without Blob, FormData, fetch or any other web global, as in
 * weapp-runtime.test.ts. A picked temp file is read through getFileSystemManager().readFile, sent as an
 * ArrayBuffer through Taro.request to the local backend's Storage, and checked by verify-upload.
 */
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { serviceClient } from '../support/clients'
import { exeFile, jpegFile, pdfFile } from '../support/sample-files'
import { loadWeappBundle } from './support/weapp-sandbox'

const ABSENT_GLOBALS = ['fetch', 'Response', 'Request', 'Blob', 'FormData', 'File', 'TextEncoder', 'localStorage', 'window', 'document'] as const

interface UploadInput {
  bucket: string
  folder: string
  filePath: string
  contentType: string
}

interface BundleExports {
  uploadFile(input: UploadInput, deps?: { readFile?: (p: string) => Promise<ArrayBuffer> }): Promise<{ bucket: string; path: string }>
  getSession(): { signIn(): Promise<{ id: string }> }
  allowLogin(prefix: string | null): void
  putTempFile(filePath: string, bytes: ArrayLike<number>): void
  calls: Array<{ url: string; method?: string }>
  failRequestsTo(urlPart: string | null): void
}

let be: TestBackend
let context: vm.Context
let app: BundleExports
let me = ''

const ENTRY = [
  "export { uploadFile } from './src/services/storage/upload-file'",
  "export { getSession } from './src/services/auth/session'",
  "export { allowLogin, putTempFile, calls, failRequestsTo } from './tests/unit/support/taro-node-shim'",
]

const objectsIn = async (bucket: string, prefix: string) =>
  (await be.db.query('select name from storage.objects where bucket_id = $1 and starts_with(name, $2) order by name', [bucket, prefix])).rows.map((r) => r.name as string)
const isVerified = async (bucket: string, name: string) =>
  (await be.db.query('select private.is_verified_object($1, $2) as v', [bucket, name])).rows[0].v as boolean

beforeAll(async () => {
  be = await startTestBackend()
  ;({ app, context } = await loadWeappBundle<BundleExports>(be, ENTRY, 'weapp-upload'))
  app.allowLogin('upload')
  me = (await app.getSession().signIn()).id
})

afterAll(async () => {
  await be?.close()
})

describe('uploading a picked file from the mini-program', () => {
  it('uploads a JPEG from its temp path, and the server verifies it', async () => {
    const bytes = jpegFile()
    app.putTempFile('wxfile://tmp/avatar-1.jpg', [...bytes])
    const up = await app.uploadFile({ bucket: 'avatars', folder: me, filePath: 'wxfile://tmp/avatar-1.jpg', contentType: 'image/jpeg' })
    expect(up.bucket).toBe('avatars')
    expect(up.path).toMatch(new RegExp(`^${me}/[0-9a-z]+\\.jpg$`))
    const { data, error } = await serviceClient(be).storage.from('avatars').download(up.path)
    expect(error).toBeNull()
    expect(Buffer.from(await data!.arrayBuffer())).toEqual(bytes)
    expect(await isVerified('avatars', up.path)).toBe(true)
  })

  it('uses only the globals a mini-program has', () => {
    for (const name of ABSENT_GLOBALS) expect(vm.runInContext(`typeof globalThis.${name}`, context), name).toBe('undefined')
    const upload = app.calls.find((c) => c.url.includes('/storage/v1/object/avatars/'))
    expect(upload?.method).toBe('POST')
  })

  it('a retry of the same file replaces the same object instead of making a second one', async () => {
    app.putTempFile('wxfile://tmp/material-1.pdf', [...pdfFile()])
    const input = { bucket: 'application-materials', folder: `${me}/app-retry`, filePath: 'wxfile://tmp/material-1.pdf', contentType: 'application/pdf' }
    const first = await app.uploadFile(input)
    const second = await app.uploadFile(input)
    expect(second.path).toBe(first.path)
    expect(await objectsIn('application-materials', `${me}/app-retry/`)).toEqual([first.path])
    expect(await isVerified('application-materials', first.path)).toBe(true)
  })

  it('an .exe renamed .jpg is refused with the server\'s reason in Chinese and leaves nothing behind', async () => {
    app.putTempFile('wxfile://tmp/photo.jpg', [...exeFile()])
    await expect(app.uploadFile({ bucket: 'chat-images', folder: `g1/${me}`, filePath: 'wxfile://tmp/photo.jpg', contentType: 'image/jpeg' })).rejects.toMatchObject({
      name: 'AppError',
      status: 422,
      message: '文件不是有效的图片（仅支持 JPG、PNG、WebP），已删除。',
    })
    expect(await objectsIn('chat-images', `g1/${me}/`)).toEqual([])
  })

  it('an image over 10 MB is refused before anything is sent', async () => {
    const before = app.calls.length
    const big = { byteLength: 10 * 1024 * 1024 + 1 } as ArrayBuffer
    await expect(app.uploadFile({ bucket: 'avatars', folder: me, filePath: 'wxfile://tmp/big.jpg', contentType: 'image/jpeg' }, { readFile: async () => big })).rejects.toMatchObject({
      code: 'invalid',
      message: '图片不能超过 10 MB，请压缩后重试',
    })
    expect(app.calls.length).toBe(before)
  })

  it('a PDF is not an avatar: refused before anything is sent', async () => {
    app.putTempFile('wxfile://tmp/cv.pdf', [...pdfFile()])
    await expect(app.uploadFile({ bucket: 'avatars', folder: me, filePath: 'wxfile://tmp/cv.pdf', contentType: 'application/pdf' })).rejects.toMatchObject({
      code: 'invalid',
      message: '仅支持 JPG、PNG、WebP 图片',
    })
  })

  it('a temp file that cannot be read is reported in Chinese', async () => {
    await expect(app.uploadFile({ bucket: 'avatars', folder: me, filePath: 'wxfile://tmp/gone.jpg', contentType: 'image/jpeg' })).rejects.toMatchObject({
      code: 'invalid',
      message: '无法读取所选文件，请重新选择',
    })
  })

  it('an upload without a network says so in Chinese, and sending it again later works', async () => {
    app.putTempFile('wxfile://tmp/offline.jpg', [...jpegFile()])
    const input = { bucket: 'avatars', folder: me, filePath: 'wxfile://tmp/offline.jpg', contentType: 'image/jpeg' }
    app.failRequestsTo('/storage/v1/')
    try {
      await expect(app.uploadFile(input)).rejects.toMatchObject({ code: 'network', message: '网络连接失败，文件没有上传成功，请检查网络后重试' })
    } finally {
      app.failRequestsTo(null)
    }
    const up = await app.uploadFile(input)
    expect(await isVerified('avatars', up.path)).toBe(true)
  })
})
