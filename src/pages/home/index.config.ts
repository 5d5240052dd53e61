import { TABS } from '../../constants/routes'

export default definePageConfig({
  navigationBarTitleText: TABS.home.title,
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
  onReachBottomDistance: 100,
})
