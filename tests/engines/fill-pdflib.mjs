// Fill a form with pdf-lib: setText / check / select, then save() (which draws appearances).
// usage: node fill-pdflib.mjs BLANK.pdf VALUES.json OUT.pdf; prints a JSON report of what failed.
import { readFileSync, writeFileSync } from "node:fs";
import { PDFDocument, PDFTextField, PDFCheckBox, PDFRadioGroup } from "pdf-lib";

const [blank, valuesPath, out] = process.argv.slice(2);
const values = JSON.parse(readFileSync(valuesPath, "utf8"));
const doc = await PDFDocument.load(readFileSync(blank));
const form = doc.getForm();
const errors = {};
for (const [name, v] of Object.entries(values)) {
  try {
    const field = form.getField(name);
    if (field instanceof PDFTextField) field.setText(v);
    else if (field instanceof PDFCheckBox) (v ? field.check() : field.uncheck());
    else if (field instanceof PDFRadioGroup) field.select(v);
  } catch (e) {
    errors[name] = String(e.message).split("\n")[0];
  }
}
let appearances = true;
let bytes;
try {
  bytes = await doc.save();
} catch (e) {
  // pdf-lib draws appearances with the form's Helvetica (WinAnsi) and throws on other characters.
  appearances = String(e.message).split("\n")[0];
  bytes = await doc.save({ updateFieldAppearances: false });
}
writeFileSync(out, bytes);
console.log(JSON.stringify({ engine: "pdf-lib", errors, appearances }));
