// The structure tree pdf.js builds for each page (what Firefox hands to screen readers).
// usage: node structtree-pdfjs.mjs FILE.pdf; prints {"pages": [tree, ...]} as JSON, where a tree is
// pdf.js's getStructTree() result: {role, children: [...]} nodes, with {type: "content", id} and
// {type: "annotation", id} leaves, plus each page's widgets as {id, fieldName}.
import { readFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const [file] = process.argv.slice(2);
const doc = await getDocument({ data: new Uint8Array(readFileSync(file)), verbosity: 0 }).promise;
const pages = [];
for (let p = 1; p <= doc.numPages; p++) {
  const page = await doc.getPage(p);
  const tree = await page.getStructTree();
  const widgets = (await page.getAnnotations())
    .filter((a) => a.subtype === "Widget")
    .map((a) => ({ id: a.id, fieldName: a.fieldName, hidden: Boolean(a.hidden) }));
  pages.push({ tree, widgets });
}
console.log(JSON.stringify({ pages }));
await doc.destroy();
