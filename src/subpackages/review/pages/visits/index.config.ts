export default definePageConfig({
  navigationBarTitleText: '走访记录',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
