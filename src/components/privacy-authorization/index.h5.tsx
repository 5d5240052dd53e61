import type { FunctionComponent } from 'react'

/**
 * H5 has no WeChat privacy authorization: nothing to show, and the notice (index.tsx, the mini-program's)
 * stays out of the H5 bundle. Taro picks this file for H5 builds.
 */
export const PrivacyAuthorization: FunctionComponent = () => null

PrivacyAuthorization.displayName = 'PrivacyAuthorization'
