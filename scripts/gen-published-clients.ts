// npm run gen:published-clients [-- --source <axle-openapi.json>] [-- --check]
// Refreshes the published entities document's facts (test/published/axle-openapi.json) from the
// reference copy and regenerates the partner client types from them. --check only verifies that
// the committed types match the committed document (what CI and the conformance suite rely on).
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { generatePublishedTypes, PUBLISHED_DOCUMENT_FILE, PUBLISHED_TYPES_FILE, withoutProse } from "@/test/published/generate";

const args = process.argv.slice(2);
const check = args.includes("--check");
const sourceIndex = args.indexOf("--source");
const source = sourceIndex >= 0 ? args[sourceIndex + 1] : "../shared/reference/axle-openapi.json";

async function main(): Promise<void> {
  if (!check) {
    if (source === undefined) throw new Error("--source needs a file");
    const document = withoutProse(JSON.parse(readFileSync(resolve(source), "utf8")) as unknown);
    writeFileSync(PUBLISHED_DOCUMENT_FILE, `${JSON.stringify(document, null, 2)}\n`);
  }
  const types = await generatePublishedTypes(JSON.parse(readFileSync(PUBLISHED_DOCUMENT_FILE, "utf8")) as unknown);
  if (check) {
    if (readFileSync(PUBLISHED_TYPES_FILE, "utf8") !== types) {
      console.error(`${PUBLISHED_TYPES_FILE} is out of date: run npm run gen:published-clients`);
      process.exit(1);
    }
    console.log(`${PUBLISHED_TYPES_FILE} is up to date`);
    return;
  }
  writeFileSync(PUBLISHED_TYPES_FILE, types);
  console.log(`wrote ${PUBLISHED_DOCUMENT_FILE} and ${PUBLISHED_TYPES_FILE}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
