export default definePageConfig({
  navigationBarTitleText: '我的文章',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
  onReachBottomDistance: 100,
})
