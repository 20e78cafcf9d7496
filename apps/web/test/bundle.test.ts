import assert from "node:assert/strict";
import { test } from "node:test";
import { buildBundle, firstLoadBudgetBytes, measureBundle } from "../src/index.js";

test("the first load stays within 150 kB gzipped; the recurrence engine is a separate chunk loaded by the editor", async () => {
  const size = measureBundle(await buildBundle());
  assert.ok(size.firstLoadGzip <= firstLoadBudgetBytes, `first load ${size.firstLoadGzip} B > ${firstLoadBudgetBytes} B`);
  assert.ok(size.totalGzip <= firstLoadBudgetBytes, `everything ${size.totalGzip} B > ${firstLoadBudgetBytes} B`);
  const biggest = [...size.assets].sort((a, b) => b.gzip - a.gzip)[0]!;
  assert.match(biggest.path, /^\/assets\/chunk-/, "the largest asset (rrule + Temporal) is a lazy chunk");
  assert.ok(size.firstLoadGzip < biggest.gzip, "the first load does not include it");
});
