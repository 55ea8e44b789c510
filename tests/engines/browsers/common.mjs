// What both browser drivers share: their arguments, a time limit, screenshots of the X screen, and
// the native save dialog (save_dialog.sh) with the wait for the saved file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** PDF PLAN.json OUT.pdf SHOTS_DIR from the command line; OUT removed, a time limit set. */
export function start(browser, seconds = 240) {
  const [pdf, planPath, out, shots] = process.argv.slice(2).map((p) => resolve(p));
  mkdirSync(shots, { recursive: true });
  mkdirSync(dirname(out), { recursive: true });
  if (existsSync(out)) unlinkSync(out);
  const deadline = setTimeout(() => {
    console.error(`fill_${browser}: timed out`);
    process.exit(2);
  }, seconds * 1000);
  const tag = pdf.split('/').pop().replace(/\.pdf$/, '');
  return { pdf, plan: JSON.parse(readFileSync(planPath, 'utf8')), out, shots, tag, deadline };
}

/** The whole X screen ($DISPLAY) as SHOTS/NAME. */
export function grab(shots, name) {
  execFileSync(process.env.PYTHON || 'python3', [
    '-c',
    'import sys; from PIL import ImageGrab; ImageGrab.grab(xdisplay=sys.argv[1]).save(sys.argv[2])',
    process.env.DISPLAY,
    join(shots, name),
  ]);
}

/** Confirm the browser's native save dialog for OUT and wait until the file is written whole. */
export async function confirmSave(browser, { out, shots, tag }) {
  execFileSync(join(HERE, 'save_dialog.sh'), [out, browser, join(shots, `${browser}-${tag}-save.png`)], {
    stdio: 'inherit',
    timeout: 60_000,
  });
  for (let i = 0; i < 60 && !(existsSync(out) && statSync(out).size > 0); i++) await sleep(500);
  await sleep(1500); // written whole (Firefox renames a .part file into place; Chromium a .crswap)
  if (!existsSync(out)) throw new Error(`not saved: ${out}`);
  return statSync(out).size;
}
