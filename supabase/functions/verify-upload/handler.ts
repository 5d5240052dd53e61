// verify-upload: decides whether an uploaded file is what it claims, before anything may use it.
//
//   POST { "bucket": "chat-images", "name": "<group id>/<own id>/<file>" }, Authorization: Bearer <the person's token>
//   200  { "verified": true }
//   422  { "error": { "code": "file_rejected", "message": "<why, in Chinese>", "retryable": false } } — the file is removed
//   4xx/5xx { "error": { "code", "message", "retryable" } } (codes and messages: _shared/errors.ts)
//
// The object is read with the caller's own token (storage.ts), so Storage's bucket policies decide what
// they may see, exactly as for a download: nobody learns anything here about a file they could not read
// anyway. Only the verdict is written with the service role (verdicts.ts), because a verdict is the
// system's word; that RPC also insists the object is the caller's own upload and still the version that
// was read. A failing file is removed with the caller's token again (uploaders may delete their own),
// and only the version that failed: the delete policy compares the version the request names
// (x-remove-version) inside the DELETE, so a file replaced between the verdict and the removal stays.
import { AppError } from '../_shared/errors.ts'
import { type Logger, errorResponse, json, preflight, readJsonObject, requirePost } from '../_shared/http.ts'
import { type FileKind, type Verdict, verifyFile } from '../_shared/file-signature.ts'

export interface StoredObject {
  /** storage.objects.version: every upload gets a new one. */
  version: string
  size: number
  /** The content type the uploader claimed. */
  contentType: string
  etag: string | null
}

export interface ObjectHead {
  bytes: Uint8Array
  etag: string | null
}

export interface VerifyDeps {
  /**
   * The person behind `Authorization` (_shared/jwt.ts createCallerVerifier); throws 401 `unauthorized`
   * for anything else. Typed by shape, so the handler loads without jwt.ts's npm imports (Node tests).
   */
  verifyCaller: (authorization: string | null) => Promise<{ sub: string }>
  /** The object's row as the caller may see it; 404 `not_found` when hidden or missing. */
  objectInfo: (token: string, bucket: string, name: string) => Promise<StoredObject>
  /** The object's first `count` bytes, read as the caller. */
  readHead: (token: string, bucket: string, name: string, count: number) => Promise<ObjectHead>
  /**
   * Removes `version` of the object as the caller, and nothing newer: a file re-uploaded under the same
   * name meanwhile stays. False when Storage removed nothing.
   */
  remove: (token: string, bucket: string, name: string, version: string) => Promise<boolean>
  /** Stores the verdict on `version` for its owner (service role). */
  recordVerdict: (owner: string, bucket: string, name: string, version: string, verdict: Verdict) => Promise<void>
  log?: Logger
}

export interface VerifyResponse {
  verified: true
}

const IMAGES: readonly FileKind[] = ['image/jpeg', 'image/png', 'image/webp']
const EVERY_KIND: readonly FileKind[] = [...IMAGES, 'application/pdf']
const AUDIO: readonly FileKind[] = ['audio/mpeg', 'audio/aac', 'audio/mp4']

/** What each bucket takes; the buckets' own allowed_mime_types say the same at upload time. */
const ACCEPTED: Record<string, readonly FileKind[]> = {
  'chat-images': IMAGES,
  'chat-voice': AUDIO,
  'post-covers': IMAGES,
  avatars: IMAGES,
  'application-materials': EVERY_KIND,
  'visit-photos': IMAGES,
}

/** The signature needs 12 bytes; a few more cost nothing. */
const HEAD_BYTES = 16

const BAD_TARGET = '请求格式不正确，应为 { bucket, name }'

function requireTarget(body: Record<string, unknown>): { bucket: string; name: string } {
  const { bucket, name } = body
  if (typeof bucket !== 'string' || typeof name !== 'string' || !bucket.trim() || !name.trim()) {
    throw new AppError('bad_request', BAD_TARGET)
  }
  if (bucket.length > 100 || name.length > 1024) throw new AppError('bad_request', '文件位置过长')
  return { bucket, name }
}

export function createHandler(deps: VerifyDeps): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method === 'OPTIONS') return preflight()
    try {
      requirePost(req)
      const authorization = req.headers.get('authorization')
      const caller = await deps.verifyCaller(authorization)
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')![1]
      const { bucket, name } = requireTarget(await readJsonObject(req))
      const accepted = ACCEPTED[bucket]
      if (!accepted) throw new AppError('not_found', '文件不存在或无权查看')

      const info = await deps.objectInfo(token, bucket, name)
      const head = await deps.readHead(token, bucket, name, HEAD_BYTES)
      if (info.etag && head.etag && info.etag !== head.etag) {
        // Replaced between the two reads: the bytes are not those of the version we would mark.
        throw new AppError('conflict', '文件已被重新上传，请重新校验')
      }
      const verdict = verifyFile(head.bytes, info.size, info.contentType, accepted)
      await deps.recordVerdict(caller.sub, bucket, name, info.version, verdict)
      if (!verdict.ok) {
        const removed = await deps.remove(token, bucket, name, info.version)
        if (!removed) deps.log?.(`verify-upload: ${bucket}/${name} failed the check but Storage removed nothing (gone, or replaced by a newer version)`)
        throw new AppError('file_rejected', verdict.reason)
      }
      return json({ verified: true } satisfies VerifyResponse)
    } catch (e) {
      return errorResponse(e, deps.log)
    }
  }
}
