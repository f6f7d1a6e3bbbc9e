// DAISY Ace (a dev dependency) brings puppeteer. editio never lets an npm package
// download a browser: tests use Debian's /usr/bin/chromium (see README, .ci/run).
module.exports = { skipDownload: true, executablePath: '/usr/bin/chromium' };
