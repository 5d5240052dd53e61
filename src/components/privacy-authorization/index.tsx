import { useEffect, useSyncExternalStore, type FunctionComponent } from 'react'
import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import {
  PRIVACY_AGREE_BUTTON_ID,
  agreePrivacyAuthorization,
  declinePrivacyAuthorization,
  dismissPrivacyDeclined,
  getPrivacyAuthorizationState,
  reportPrivacyNoticeShown,
  subscribePrivacyAuthorization,
} from '../../services/privacy/privacy-authorization'
import { Button } from '../nutui'
import './index.scss'

const classPrefix = 'privacy-authorization'

/**
 * The app's own notice for WeChat's onNeedPrivacyAuthorization (services/privacy): asks the person to
 * agree to the privacy guide before the privacy API they reached goes on, and after a refusal says what
 * will not work while the rest of the page stays usable. Every page carries it (components/app-page);
 * only the mini-program ever asks.
 */
export const PrivacyAuthorization: FunctionComponent = () => {
  const { pending, declined } = useSyncExternalStore(subscribePrivacyAuthorization, getPrivacyAuthorizationState, getPrivacyAuthorizationState)

  useEffect(() => {
    if (pending) reportPrivacyNoticeShown()
  }, [pending])

  if (pending) {
    return (
      <View className={`${classPrefix}__mask`}>
        <View className={`${classPrefix}__sheet`} role='dialog' aria-modal='true' aria-labelledby={`${classPrefix}-title`}>
          <Text id={`${classPrefix}-title`} className={`${classPrefix}__title`}>
            隐私保护指引
          </Text>
          <Text className={`${classPrefix}__text`}>
            {`${pending.feature}需要用到您的个人信息。请先阅读并同意《隐私保护指引》，同意后马上继续；不同意也可以照常使用其他功能。`}
          </Text>
          <Button className={`${classPrefix}__read`} fill='none' type='primary' size='large' block onClick={() => void Taro.openPrivacyContract({})}>
            阅读《隐私保护指引》
          </Button>
          <Button
            id={PRIVACY_AGREE_BUTTON_ID}
            className={`${classPrefix}__agree`}
            type='primary'
            size='large'
            block
            openType='agreePrivacyAuthorization'
            onAgreePrivacyAuthorization={() => agreePrivacyAuthorization(PRIVACY_AGREE_BUTTON_ID)}
          >
            同意
          </Button>
          <Button className={`${classPrefix}__decline`} size='large' block fill='outline' onClick={declinePrivacyAuthorization}>
            不同意
          </Button>
        </View>
      </View>
    )
  }

  if (declined) {
    return (
      <View className={`${classPrefix}__declined`} role='alert'>
        <Text className={`${classPrefix}__declined-text`}>{declined.message}</Text>
        <Button size='normal' fill='outline' type='primary' onClick={dismissPrivacyDeclined}>
          知道了
        </Button>
      </View>
    )
  }

  return null
}

PrivacyAuthorization.displayName = 'PrivacyAuthorization'
