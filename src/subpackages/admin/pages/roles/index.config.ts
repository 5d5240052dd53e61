export default definePageConfig({
  navigationBarTitleText: '角色管理',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
})
