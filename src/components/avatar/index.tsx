import { useState, type FunctionComponent } from 'react'
import { Image, Text, View } from '@tarojs/components'
import { publicFileUrl } from '../../services/storage/file-urls'
import './index.scss'

export interface AvatarProps {
  /** The avatar's object name in the avatars bucket (profiles.avatar_path); none shows the name's first character. */
  path?: string | null
  /** Whose avatar: the first character stands in when there is no picture, and labels it. */
  name: string
  size?: 'small' | 'normal' | 'large'
  className?: string
}

const classPrefix = 'app-avatar'

/** A person's round avatar beside their name: their picture, or the first character of their name. */
export const Avatar: FunctionComponent<AvatarProps> = ({ path, name, size = 'normal', className }) => {
  const [broken, setBroken] = useState<string | null>(null)
  const classes = [classPrefix, `${classPrefix}--${size}`, className].filter(Boolean).join(' ')
  if (path && broken !== path) {
    return <Image className={classes} src={publicFileUrl('avatars', path)} mode='aspectFill' onError={() => setBroken(path)} aria-label={`${name}的头像`} />
  }
  return (
    <View className={`${classes} ${classPrefix}--text`} aria-label={`${name}的头像`}>
      <Text>{Array.from(name.trim())[0] ?? '?'}</Text>
    </View>
  )
}

Avatar.displayName = 'Avatar'
