import type { FunctionComponent } from 'react'
import { useDidShow } from '@tarojs/taro'
import { View, type ViewProps } from '@tarojs/components'
import { useLargeText } from '../../services/preferences/use-large-text'
import { showPendingToast } from '../../utils/next-page-toast'
import { PrivacyAuthorization } from '../privacy-authorization'

export interface AppPageProps extends ViewProps {
  className?: string
}

const classPrefix = 'app-page'

/** Only the mini-program asks for privacy authorization (WeChat's onNeedPrivacyAuthorization). */
const IS_WEAPP = process.env.TARO_ENV === 'weapp'

/**
 * The root of every page: applies large-text mode (适老化) through a class whose --app-text-scale every
 * text size of the app and of NutUI reads (app.scss), and carries the privacy-authorization notice.
 * Mini-program pages have no shared root element the app can style, so each page carries them. It also
 * shows a toast queued for the next page (utils/next-page-toast.ts) when the page comes into view.
 */
export const AppPage: FunctionComponent<AppPageProps> = ({ className, children, ...rest }) => {
  const largeText = useLargeText()
  // A toast queued by the page the person just left ("资料已保存"), shown here where it can stay.
  useDidShow(showPendingToast)
  const classes = [classPrefix, largeText ? `${classPrefix}--large-text` : '', className ?? ''].filter(Boolean).join(' ')
  return (
    <View className={classes} {...rest}>
      {IS_WEAPP && <PrivacyAuthorization />}
      {children}
    </View>
  )
}

AppPage.displayName = 'AppPage'
