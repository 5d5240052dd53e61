import { TABS } from '../../constants/routes'

export default definePageConfig({
  navigationBarTitleText: TABS.apply.title,
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
