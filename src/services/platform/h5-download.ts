/**
 * Saving and opening files in the browser (H5 only; the mini-program downloads with Taro.downloadFile and
 * shows files with Taro.openDocument, see services/review/export-roster.ts and documents.ts).
 */

/** Saves a file the page fetched under `name`, as a click on an <a download> link does. */
export function saveBlobInBrowser(blob: Blob, name: string): void {
  const href = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = href
  link.download = name
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
  // Long enough for the browser to start writing the file.
  setTimeout(() => URL.revokeObjectURL(href), 60_000)
}

/** Opens an address (a signed URL of a PDF) in a new tab. */
export function openInBrowserTab(url: string): void {
  window.open(url, '_blank', 'noopener')
}
