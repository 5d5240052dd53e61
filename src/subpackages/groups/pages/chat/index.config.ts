export default definePageConfig({
  navigationBarTitleText: '创业群',
  // The list scrolls inside the page (newest at the bottom); the page itself does not.
  disableScroll: true,
  // useShareAppMessage: 邀请 shares the group's card with its invite code.
  enableShareAppMessage: true,
})
