export default definePageConfig({
  navigationBarTitleText: '标签',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
  onReachBottomDistance: 100,
})
