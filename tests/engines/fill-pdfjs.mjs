// Fill a form as Firefox does: values into pdf.js's annotationStorage, then saveDocument().
// usage: node fill-pdfjs.mjs BLANK.pdf VALUES.json OUT.pdf
// VALUES: {"field name": "text" | true | false | "option value"}; prints a JSON report.
import { readFileSync, writeFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const [blank, valuesPath, out] = process.argv.slice(2);
const values = JSON.parse(readFileSync(valuesPath, "utf8"));
const doc = await getDocument({ data: new Uint8Array(readFileSync(blank)), verbosity: 0 }).promise;
const storage = doc.annotationStorage;
const seen = new Set();
for (let p = 1; p <= doc.numPages; p++) {
  const page = await doc.getPage(p);
  for (const a of await page.getAnnotations()) {
    if (a.subtype !== "Widget" || !(a.fieldName in values)) continue;
    const v = values[a.fieldName];
    seen.add(a.fieldName);
    if (a.fieldType === "Tx") storage.setValue(a.id, { value: v });
    else if (a.checkBox) storage.setValue(a.id, { value: v === true });
    else if (a.radioButton) storage.setValue(a.id, { value: a.buttonValue === v });
  }
}
writeFileSync(out, await doc.saveDocument());
const missing = Object.keys(values).filter((k) => !seen.has(k));
console.log(JSON.stringify({ engine: "pdf.js", version: (await import("pdfjs-dist/legacy/build/pdf.mjs")).version, missing }));
await doc.destroy();
