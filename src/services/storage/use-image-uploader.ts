/**
 * The state behind the image picker/uploader (src/components/image-uploader): each picked image goes
 * through 准备 → 上传 (with progress) → 检查 → done or failed, and only files the server verified are
 * reported through `onChange`, as a list of object names in the bucket.
 *
 * Each picked file gets its object name once (services/storage/upload-file.ts objectPath); a retry sends
 * the same file under the same name, so it replaces that object and never makes a second one.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { toAppError } from '../errors'
import { createCancel, type CancelHandle } from './cancel'
import { removeOwnFile, signedUrls } from './file-urls'
import { pickImages, pickImagesOrPdf, prepareImage, type PickedFile } from './pick-images'
import { objectPath, uploadFile, type UploadBucket } from './upload-file'

export type UploadStatus = 'uploading' | 'verifying' | 'done' | 'failed'

export interface UploadItem {
  key: string
  /** What to show as the thumbnail: the local file, or a signed URL for files given in `initial`. */
  thumb: string
  status: UploadStatus
  /** 0…1 while uploading. */
  progress: number
  /** The object's name in the bucket (fixed once per picked file). */
  path: string
  /** Why it failed, in Chinese (the server's reason when its check refused the file). */
  error?: string
  /** False for failures a retry cannot fix (wrong type, too large, refused by the check). */
  retryable?: boolean
  /** Set for files picked here (not for `initial` ones), so they can be sent again. */
  file?: PickedFile
}

export interface ImageUploaderOptions {
  bucket: UploadBucket
  /** The folder the bucket's policy gives the person, e.g. `<group id>/<own id>` for chat images. */
  folder: string
  maxCount: number
  /** Object names already attached (verified earlier); shown through signed URLs. */
  initial?: string[]
  /** Called with every verified object name, in order, whenever that list changes. */
  onChange?: (paths: string[]) => void
  /** PDF files too (application materials): H5's chooser, weapp's chat files. */
  allowPdf?: boolean
}

/** Whether an item is a PDF (shown as a PDF tile, not as a picture). */
export function isPdfPath(path: string): boolean {
  return /\.pdf$/i.test(path)
}

let nextKey = 0

export function useImageUploader({ bucket, folder, maxCount, initial, onChange, allowPdf = false }: ImageUploaderOptions) {
  const [items, setItems] = useState<UploadItem[]>(() =>
    (initial ?? []).map((path) => ({ key: `initial-${nextKey++}`, thumb: '', status: 'done', progress: 1, path })),
  )
  const cancels = useRef(new Map<string, CancelHandle>())
  const onChangeRef = useRef(onChange)
  onChangeRef.current = onChange
  const reported = useRef<string>(JSON.stringify(initial ?? []))

  const update = useCallback((key: string, patch: Partial<UploadItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...patch } : item)))
  }, [])

  // Thumbnails of files attached earlier: signed URLs, made in one request.
  useEffect(() => {
    const missing = items.filter((i) => !i.thumb && !i.file && !isPdfPath(i.path))
    if (missing.length === 0) return
    let live = true
    signedUrls(bucket, missing.map((i) => i.path)).then(
      (urls) => live && missing.forEach((item, n) => update(item.key, { thumb: urls[n] })),
      () => {},
    )
    return () => {
      live = false
    }
    // Only when the set of attached files without a thumbnail changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bucket, items.filter((i) => !i.thumb && !i.file && !isPdfPath(i.path)).length])

  // Report the verified list whenever it changes.
  useEffect(() => {
    const verified = items.filter((i) => i.status === 'done').map((i) => i.path)
    const text = JSON.stringify(verified)
    if (text === reported.current) return
    reported.current = text
    onChangeRef.current?.(verified)
  }, [items])

  const send = useCallback(
    async (key: string, file: PickedFile, path: string) => {
      const cancel = createCancel()
      cancels.current.set(key, cancel)
      update(key, { status: 'uploading', progress: 0, error: undefined })
      try {
        await uploadFile(
          { bucket, folder, filePath: file.path, contentType: file.type, size: file.size, path },
          {
            cancel,
            onProgress: (progress) => update(key, { progress }),
            onVerifying: () => update(key, { status: 'verifying', progress: 1 }),
          },
        )
        update(key, { status: 'done', progress: 1 })
      } catch (e) {
        if (cancel.cancelled) return
        const error = toAppError(e)
        update(key, { status: 'failed', error: error.message, retryable: error.code !== 'invalid' })
      } finally {
        cancels.current.delete(key)
      }
    },
    [bucket, folder, update],
  )

  /** Opens the picker for as many images as there is room for, then uploads each. */
  const add = useCallback(async () => {
    const room = maxCount - items.length
    if (room <= 0) return
    const picked = await (allowPdf ? pickImagesOrPdf(room) : pickImages(room))
    for (const original of picked.slice(0, room)) {
      const key = `file-${nextKey++}`
      const pdf = original.type === 'application/pdf'
      setItems((list) => [...list, { key, thumb: pdf ? '' : original.path, status: 'uploading', progress: 0, path: '' }])
      let file = original
      try {
        if (!pdf) file = await prepareImage(original)
      } catch {
        // Compression failed: send the original; the size check and the server still apply.
      }
      // The name comes from the picked file, once; retries and re-compressions keep it.
      const path = objectPath(folder, original.path, file.type)
      update(key, { thumb: pdf ? '' : file.path, path, file })
      void send(key, file, path)
    }
  }, [allowPdf, folder, items.length, maxCount, send, update])

  const retry = useCallback(
    (key: string) => {
      const item = items.find((i) => i.key === key)
      if (item?.file && item.status === 'failed') void send(key, item.file, item.path)
    },
    [items, send],
  )

  const cancel = useCallback(
    (key: string) => {
      cancels.current.get(key)?.cancel()
      update(key, { status: 'failed', error: '已取消上传', retryable: true })
    },
    [update],
  )

  /** Takes the image out of the list; a file uploaded here is also removed from the bucket. */
  const remove = useCallback(
    (key: string) => {
      const item = items.find((i) => i.key === key)
      cancels.current.get(key)?.cancel()
      setItems((list) => list.filter((i) => i.key !== key))
      if (item?.file && item.path && item.status === 'done') void removeOwnFile(bucket, item.path).catch(() => {})
    },
    [bucket, items],
  )

  return { items, add, retry, cancel, remove, canAdd: items.length < maxCount }
}
