/**
 * The load tier's short run (npm run bench:load is the long one): 100 virtual users for about a minute
 * of scenario traffic against the whole platform, then the invariants: nothing unpublished, every
 * published event audited exactly once, one next occurrence per recurring completion, error rate
 * under 0.1 %. Timings are printed, never asserted (scripts/bench/load.ts reports them with the load average).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatLoadReport, loadRun } from "@tasks/dev-platform/load-run";
import { useTestPlatform } from "./helpers.js";

const platform = useTestPlatform();

const users = Number(process.env.IT_LOAD_USERS ?? 100);

test(
  `${users} virtual users for a minute: every event published and audited once, one next occurrence per recurring completion`,
  { timeout: 600_000 },
  async () => {
    const report = await loadRun(
      platform(),
      { users, rampUpSeconds: 10, steadySeconds: 40, rampDownSeconds: 10, thinkMs: { min: 500, max: 2500 } },
      { log: (l) => process.stderr.write(`[load] ${l}\n`) },
    );
    process.stderr.write(`${formatLoadReport(report)}\n`);
    const { result, invariants: inv } = report;
    assert.equal(result.signedIn, users, "every virtual user signed in");
    assert.ok(result.requests > users * 10, `a real load: ${result.requests} requests`);
    assert.ok(result.operations.complete.count > 0 && result.recurringCompletions > 0, "recurring tasks were completed");
    assert.ok(result.operations.delete.count > 0 && result.operations.update.count > 0, "every operation ran");
    assert.ok(
      result.errors / result.requests < 0.001,
      `error rate ${result.errors}/${result.requests}: ${JSON.stringify(result.errorKinds)}`,
    );
    assert.equal(inv.unsent, 0, "every event published");
    assert.equal(inv.eventsPublished, inv.eventsWritten);
    assert.equal(inv.notAudited, 0, "every published event audited");
    assert.equal(inv.auditedUnknown, 0, "no audit entry without its event");
    assert.equal(inv.audited, inv.eventsPublished, "audited exactly once");
    assert.equal(inv.nextOccurrences, result.recurringCompletions, "one next occurrence per recurring completion");
    assert.equal(inv.seriesWithNext, inv.nextOccurrences, "no series with two next occurrences");
  },
);
