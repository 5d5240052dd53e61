export default definePageConfig({
  navigationBarTitleText: '补贴项目管理',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
