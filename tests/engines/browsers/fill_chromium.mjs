// Fill a werkblad in Chromium's own PDF viewer (PDFium) like a person, and save it with the viewer's button.
//
// node fill_chromium.mjs PDF PLAN.json OUT.pdf SHOTS_DIR
//
// Chromium (Debian's /usr/bin/chromium) is driven by playwright-core, headed (run under Xvfb:
// scripts/fill_in_browsers.sh). The PDF is drawn by PDFium in the viewer's plugin frame, which has no
// DOM for the fields: each field is clicked with the mouse at its place on the screen, computed from
// its /Rect (PLAN, tests/engines/browsers/plan.py) and the viewer's zoom and page position (read from
// the viewer's own page, the chrome-extension frame), and the answer is typed with the keyboard
// (Enter for a new line). A page is reached through the viewer's page-number box. The viewer's
// download button, "with your changes", opens Chromium's native "Save File" dialog, which
// save_dialog.sh confirms with xdotool. Screenshots of the screen are written to SHOTS_DIR.
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { confirmSave, grab, sleep, start } from './common.mjs';

const job = start('chromium');
const { pdf, plan, shots, tag } = job;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: false,
  // The PDF viewer is a component extension: keep it (playwright passes --disable-extensions).
  ignoreDefaultArgs: ['--disable-extensions'],
  args: ['--window-position=0,0', '--window-size=1100,1000', '--lang=nl-NL'],
  timeout: 60_000,
});
let code = 0;
try {
  const version = browser.version();
  const context = await browser.newContext({ viewport: null, acceptDownloads: false });
  const page = await context.newPage();
  await page.goto(pathToFileURL(pdf).href);
  let viewer;
  for (let i = 0; i < 60 && !viewer; i++) {
    viewer = page.frames().find((f) => f.url().startsWith('chrome-extension://'));
    if (!viewer) await sleep(250);
  }
  if (!viewer) throw new Error('no PDF viewer frame');
  await viewer.waitForFunction(() => document.querySelector('pdf-viewer')?.viewport_?.getZoom(), null, {
    timeout: 30_000,
  });
  await sleep(1500);
  const content = () => page.frames().find((f) => f !== viewer && f.parentFrame() === viewer);
  const measure = async (index) => {
    const box = await (await content().frameElement()).boundingBox();
    const geometry = await viewer.evaluate((i) => {
      const viewport = document.querySelector('pdf-viewer').viewport_;
      return { zoom: viewport.getZoom(), rect: viewport.getPageScreenRect(i) };
    }, index);
    return { box, ...geometry };
  };
  // Where page ``index`` is on the screen, once the viewer has stopped scrolling.
  const where = async (index) => {
    let last = await measure(index);
    for (let i = 0; i < 20; i++) {
      await sleep(250);
      const now = await measure(index);
      if (JSON.stringify(now) === JSON.stringify(last)) return now;
      last = now;
    }
    return last;
  };
  const toScreen = ({ box, zoom, rect }, step, px, py) => {
    const scale = (zoom * 4) / 3; // CSS pixels per PDF point
    return [box.x + rect.x + px * scale, box.y + rect.y + (step.size[1] - py) * scale];
  };

  const pages = [...new Set(plan.map((s) => s.page))];
  for (const index of pages) {
    const selector = viewer.locator('viewer-page-selector input');
    await selector.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(String(index + 1));
    await page.keyboard.press('Enter');
    await sleep(1200);
    const onPage = plan.filter((s) => s.page === index);
    for (const [n, step] of onPage.entries()) {
      const geometry = await where(index);
      const [x0, y0, x1, y1] = step.rect;
      // Text: just inside the field's top left corner; a checkbox or radio button: its middle.
      const [x, y] =
        step.kind === 'text'
          ? toScreen(geometry, step, x0 + 6, Math.min(y1 - 7, (y0 + y1) / 2))
          : toScreen(geometry, step, (x0 + x1) / 2, (y0 + y1) / 2);
      await page.mouse.click(x, y);
      await sleep(300);
      if (step.kind === 'text') {
        const lines = String(step.value).split('\n');
        for (const [i, line] of lines.entries()) {
          if (i > 0) await page.keyboard.press('Enter');
          await page.keyboard.type(line, { delay: 15 });
        }
        if (n + 1 < onPage.length) {
          await page.keyboard.press('Tab'); // leave the field: PDFium commits the value
        } else {
          // The last field of a page: Tab would focus a field pages on and scroll the viewer there
          // while it goes to the next page; a click in the page's left margin commits instead.
          await page.mouse.click(...toScreen(geometry, step, 20, (y0 + y1) / 2));
        }
      }
      await sleep(300);
      console.log(JSON.stringify({ field: step.field, kind: step.kind, click: [Math.round(x), Math.round(y)] }));
    }
    await sleep(800);
    grab(shots, `chromium-${tag}-p${index + 1}.png`);
  }

  // Save like a person: the viewer's download button, "with your changes", then the native dialog.
  await viewer.locator('viewer-download-controls #save, viewer-download-controls cr-icon-button').first().click();
  await sleep(800);
  const edited = viewer.locator('viewer-download-controls #save-edited');
  if (await edited.isVisible().catch(() => false)) await edited.click();
  const bytes = await confirmSave('chromium', job);
  console.log(JSON.stringify({ saved: job.out, bytes, version: `chromium/${version}` }));
} catch (err) {
  console.error(err);
  try {
    grab(shots, `chromium-${tag}-error.png`);
  } catch {}
  code = 1;
} finally {
  clearTimeout(job.deadline);
  await browser.close().catch(() => {});
}
process.exit(code);
