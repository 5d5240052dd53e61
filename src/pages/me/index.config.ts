import { TABS } from '../../constants/routes'

export default definePageConfig({
  navigationBarTitleText: TABS.me.title,
})
