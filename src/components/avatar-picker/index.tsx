import type { FunctionComponent } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { MutationOutcome } from '../../services/query/use-app-mutation'
import { useSetAvatarMutation } from '../../services/profile/set-avatar'
import { pickImages } from '../../services/storage/pick-images'
import { Avatar } from '../avatar'
import './index.scss'

export interface AvatarPickerProps {
  userId: string
  name: string
  /** The current avatar (profiles.avatar_path). */
  path?: string | null
}

const classPrefix = 'avatar-picker'
const IS_WEAPP = process.env.TARO_ENV === 'weapp'

/**
 * 我的's avatar, tappable to change it: WeChat's own avatar button (`open-type="chooseAvatar"`: the
 * WeChat avatar, the album or the camera) in the mini-program, the file chooser on H5. While it uploads
 * the progress shows; a refused file is explained in a dialog (e.g. the server's check's reason).
 */
export const AvatarPicker: FunctionComponent<AvatarPickerProps> = ({ userId, name, path }) => {
  const change = useSetAvatarMutation()
  const busy = change.pending
  const status = busy ? (change.stage === 'verifying' ? '检查中…' : `上传中 ${Math.round(change.progress * 100)}%`) : null

  // A refusal (the server's check, too large, no network) is said in a dialog that stays until read: the
  // header has no room for a sentence, and a toast is gone before many people have read it.
  const explain = (outcome: MutationOutcome<string>) => {
    if (outcome.ok || !outcome.error) return
    void Taro.showModal({ title: '头像没有更换', content: outcome.error.message, showCancel: false, confirmText: '知道了' })
  }
  const onChooseAvatar = async (avatarUrl: string | undefined) => {
    if (!avatarUrl || busy) return
    explain(await change.run(userId, avatarUrl))
  }
  const pickInBrowser = async () => {
    if (busy) return
    const [file] = await pickImages(1)
    if (file) explain(await change.run(userId, file))
  }

  const picture = (
    <View className={`${classPrefix}__picture`}>
      <Avatar path={path} name={name} size='large' />
      {status && (
        <View className={`${classPrefix}__mask`}>
          <Text>{status}</Text>
        </View>
      )}
    </View>
  )

  return (
    <View className={classPrefix}>
      {IS_WEAPP ? (
        <Button
          className={`${classPrefix}__button`}
          openType='chooseAvatar'
          disabled={busy}
          onChooseAvatar={(e) => void onChooseAvatar((e.detail as { avatarUrl?: string }).avatarUrl)}
        >
          {picture}
        </Button>
      ) : (
        <View className={`${classPrefix}__button`} onClick={() => void pickInBrowser()} aria-label='更换头像'>
          {picture}
        </View>
      )}
      <Text className={`${classPrefix}__hint`}>{busy ? '' : '更换头像'}</Text>
    </View>
  )
}

AvatarPicker.displayName = 'AvatarPicker'
