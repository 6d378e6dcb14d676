/**
 * Puppeteer (which DAISY Ace runs) uses the system's Chromium: npm install downloads no browser.
 * Run Ace with PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium (the tests set it).
 */
module.exports = { skipDownload: true };
