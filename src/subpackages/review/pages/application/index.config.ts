export default definePageConfig({
  navigationBarTitleText: '申报审核',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
