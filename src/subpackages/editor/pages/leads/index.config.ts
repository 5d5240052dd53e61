export default definePageConfig({
  navigationBarTitleText: '我的线索',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
