/**
 * 我的's avatar: the picked picture is scaled down when longer than 1,600 px, uploaded to
 * `avatars/<own id>/…`, checked by the server (verify-upload), then made the person's avatar by
 * set_my_avatar, which accepts only a verified object of their own. The previous avatar object is then
 * removed (the database answers its name; while it was the avatar it could not be removed).
 */
import { useCallback, useState } from 'react'
import { adminKeys } from '../admin/keys'
import { handleError } from '../errors'
import { postKeys } from '../posts/keys'
import { useAppMutation } from '../query/use-app-mutation'
import type { CancelHandle } from '../storage/cancel'
import { removeOwnFile } from '../storage/file-urls'
import { pickedFromPath, prepareImage, type PickedFile } from '../storage/pick-images'
import { objectPath, uploadFile } from '../storage/upload-file'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { profileKeys } from './keys'

export interface SetAvatarArgs {
  userId: string
  file: PickedFile
  onProgress?: (fraction: number) => void
  onVerifying?: () => void
  cancel?: CancelHandle
}

export async function setAvatar({ userId, file, onProgress, onVerifying, cancel }: SetAvatarArgs, client: AppSupabaseClient = getSupabase()): Promise<string> {
  const prepared = await prepareImage(file)
  const path = objectPath(userId, file.path, prepared.type)
  await uploadFile(
    { bucket: 'avatars', folder: userId, filePath: prepared.path, contentType: prepared.type, size: prepared.size, path },
    { onProgress, onVerifying, cancel },
    { client },
  )
  const { data: previous, error, status } = await client.rpc('set_my_avatar', { p_path: path })
  if (error) handleError(error, status)
  // The old picture is nobody's avatar now; if removing it fails, it is only an unused file.
  if (previous) await removeOwnFile('avatars', previous, client).catch(() => false)
  return path
}

export type AvatarStage = 'idle' | 'uploading' | 'verifying'

/** The avatar change with its stage and upload progress, for the picker in 我的. */
export function useSetAvatarMutation() {
  const [stage, setStage] = useState<AvatarStage>('idle')
  const [progress, setProgress] = useState(0)
  const mutation = useAppMutation<{ userId: string; source: PickedFile | string }, string>({
    mutate: async ({ userId, source }) => {
      setStage('uploading')
      setProgress(0)
      try {
        // A temp path (weapp's chooseAvatar button) is read for its size first.
        const file = typeof source === 'string' ? await pickedFromPath(source) : source
        return await setAvatar({ userId, file, onProgress: setProgress, onVerifying: () => setStage('verifying') })
      } finally {
        setStage('idle')
      }
    },
    errorToast: false,
    successToast: '头像已更新',
    invalidates: () => [profileKeys.own(), postKeys.feed(), adminKeys.people()],
  })
  const { run: runMutation } = mutation
  const run = useCallback((userId: string, source: PickedFile | string) => runMutation({ userId, source }), [runMutation])
  return { run, pending: mutation.pending, error: mutation.error, stage, progress }
}
