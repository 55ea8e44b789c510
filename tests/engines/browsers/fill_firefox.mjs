// Fill a werkblad in Firefox's own PDF viewer (pdf.js) like a person, and save it with the viewer's button.
//
// node fill_firefox.mjs PDF PLAN.json OUT.pdf SHOTS_DIR
//
// Firefox (Debian's /usr/bin/firefox-esr) is driven by puppeteer-core over WebDriver BiDi, headed
// (run under Xvfb: scripts/fill_in_browsers.sh). For every step of PLAN (tests/engines/browsers/
// plan.py) the page is reached through the viewer's page-number box, the field is clicked with the
// mouse and the answer typed with the keyboard (Enter for a new line, Tab to leave). The viewer's
// download button opens Firefox's native "Save As" dialog, which save_dialog.sh confirms with
// xdotool (the name typed, Enter). Screenshots of the viewer are written to SHOTS_DIR, a page each.
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { confirmSave, sleep, start } from './common.mjs';

const job = start('firefox');
const { pdf, plan, shots, tag } = job;

const browser = await puppeteer.launch({
  browser: 'firefox',
  executablePath: '/usr/bin/firefox-esr',
  headless: false,
  protocolTimeout: 60_000,
  args: ['--width=1100', '--height=1000'],
  extraPrefsFirefox: {
    'pdfjs.disabled': false,
    'pdfjs.defaultZoomValue': 'page-width',
    'pdfjs.sidebarViewOnLoad': 0,
    // A person's path: Firefox asks where to save (native dialog), instead of saving silently.
    'browser.download.useDownloadDir': false,
    'browser.download.always_ask_before_handling_new_types': false,
    'widget.use-xdg-desktop-portal.file-picker': 0,
    // puppeteer's profile has WebDriver BiDi dismiss every file picker; a person sees it.
    'remote.bidi.dismiss_file_pickers.enabled': false,
  },
});
let code = 0;
try {
  const version = await browser.version();
  const page = (await browser.pages())[0];
  await page.setViewport({ width: 1100, height: 900 }).catch(() => {});
  await page.goto(pathToFileURL(pdf).href, { waitUntil: 'load' });
  await page.waitForSelector('#viewer .page[data-loaded="true"]', { timeout: 30_000 });
  await sleep(1500);

  const pages = [...new Set(plan.map((s) => s.page))];
  for (const index of pages) {
    // The page-number box in the toolbar, as a person jumps to a page.
    await page.click('#pageNumber', { count: 3 });
    await page.keyboard.type(String(index + 1));
    await page.keyboard.press('Enter');
    for (const step of plan.filter((s) => s.page === index)) {
      const section = `section[data-annotation-id="${step.id}"]`;
      const control = `${section} input, ${section} textarea`;
      const handle = await page.waitForSelector(control, { timeout: 20_000 });
      await handle.scrollIntoView();
      await handle.click();
      if (step.kind === 'text') {
        const lines = String(step.value).split('\n');
        for (const [i, line] of lines.entries()) {
          if (i > 0) await page.keyboard.press('Enter');
          await page.keyboard.type(line, { delay: 15 });
        }
        await page.keyboard.press('Tab'); // leave the field: its value is committed (and checked)
      }
      await sleep(200);
      const shown = await page.$eval(control, (el) => (el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value));
      console.log(JSON.stringify({ field: step.field, kind: step.kind, shown }));
    }
    await sleep(800);
    await page.screenshot({ path: `${shots}/firefox-${tag}-p${index + 1}.png` });
  }

  // Save like a person: the viewer's download button, then the native dialog.
  await page.click('#downloadButton');
  const bytes = await confirmSave('firefox', job);
  console.log(JSON.stringify({ saved: job.out, bytes, version }));
} catch (err) {
  console.error(err);
  code = 1;
} finally {
  clearTimeout(job.deadline);
  await browser.close().catch(() => {});
}
process.exit(code);
