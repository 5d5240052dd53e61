import { TABS } from '../../constants/routes'

export default definePageConfig({
  navigationBarTitleText: TABS.groups.title,
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
  // useShareAppMessage: a group's 邀请 shares its card (Taro needs this to register onShareAppMessage).
  enableShareAppMessage: true,
})
