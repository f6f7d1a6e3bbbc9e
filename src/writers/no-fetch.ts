/**
 * What the bundled EPUB packager (scripts/bundle-packager.js) has in place of node-fetch
 * and abort-controller. epub-gen-memory downloads the fonts, images and cover it is given
 * as URLs (http, https or file); editio gives it none (images go into the book as files,
 * the cover is made here), and a build must never fetch or read anything its source does
 * not name. So any download fails at once, and loading the packager does not load an
 * HTTP client it would never use (node-fetch, whatwg-url and their tables).
 */
function noFetch(): never {
  throw new Error('editio fetches nothing: the EPUB packager was asked to download a file');
}

export = Object.assign(noFetch, { default: noFetch, AbortController: noFetch });
