export default definePageConfig({
  navigationBarTitleText: '加入创业群',
})
