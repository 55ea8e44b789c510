// Run a PDF's date check in pdf.js's own scripting sandbox (QuickJS), as Firefox does on commit.
// usage: node datecheck-pdfjs.mjs FORM.pdf FIELD SAMPLES.json
// Creates the sandbox from the document's field objects (what Firefox's viewer hands it), then for
// each sample sends the Keystroke commit event the viewer sends when one leaves the field; the
// sandbox runs the field's Keystroke, Validate and Format actions. Prints a JSON list, per sample:
// {"value", "accepted", "alert", "committed"}: accepted = no alert and the value sent back to the
// field as typed. A script error in the sandbox fails the run.
import { readFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const [path, field, samplesPath] = process.argv.slice(2);
const samples = JSON.parse(readFileSync(samplesPath, "utf8"));
globalThis.window = new EventTarget();
let alerts = [];
// what the viewer's window gives the sandbox: events, timers, and alert() (Firefox shows a dialog)
Object.assign(window, { CustomEvent, setTimeout, clearTimeout, setInterval, clearInterval });
window.alert = (message) => alerts.push(String(message));
const { QuickJSSandbox } = await import("pdfjs-dist/legacy/build/pdf.sandbox.mjs");

const doc = await getDocument({ data: new Uint8Array(readFileSync(path)), verbosity: 0 }).promise;
const objects = await doc.getFieldObjects();
const target = objects[field]?.find((o) => o.type === "text");
if (!target) throw new Error(`no text field ${field}`);
if (!target.actions?.Validate) throw new Error(`field ${field} has no Validate action`);
const sandbox = await QuickJSSandbox();
sandbox.create({
  objects,
  calculationOrder: (await doc.getCalculationOrderIds()) ?? [],
  appInfo: { platform: "Linux", language: "nl-NL" },
  docInfo: { actions: (await doc.getJSActions()) ?? {}, numPages: doc.numPages },
});
let messages = [];
window.addEventListener("updatefromsandbox", (e) => messages.push(e.detail));
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const results = [];
for (const value of samples) {
  messages = [];
  alerts = [];
  sandbox.dispatchEvent({ id: target.id, name: "Keystroke", value, change: "", willCommit: true, commitKey: 3, selStart: 0, selEnd: 0 });
  await tick();
  const errors = messages.filter((m) => m.command === "error").map((m) => m.value);
  if (errors.length) throw new Error(errors.join("\n"));
  const update = messages.filter((m) => m.id === target.id && "value" in m).at(-1);
  const committed = update?.value ?? null;
  results.push({ value, accepted: alerts.length === 0 && committed === value, alert: alerts[0] ?? null, committed });
  // leave the field empty again for the next sample
  sandbox.dispatchEvent({ id: target.id, name: "Keystroke", value: "", change: "", willCommit: true, commitKey: 3, selStart: 0, selEnd: 0 });
  await tick();
}
console.log(JSON.stringify(results));
sandbox.nukeSandbox();
await doc.destroy();
