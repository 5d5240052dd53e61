export default definePageConfig({
  navigationBarTitleText: '集中申报',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
